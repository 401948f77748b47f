/**
 * Final report: each threshold passed (✓) or failed (✗) with the actual
 * value; a failed one also shows its message. Shown only when there are some.
 */
import { Box, Text } from 'ink';
import type { ThresholdResult } from '../../../reports/thresholds.ts';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';

export function ThresholdsSection({ thresholds }: { readonly thresholds: readonly ThresholdResult[] | undefined }) {
  const c = usePalette();
  if (thresholds === undefined || thresholds.length === 0) return null;
  const failed = thresholds.filter((t) => !t.ok).length;
  return (
    <Section title={`Thresholds (${thresholds.length - failed} passed, ${failed} failed)`}>
      {thresholds.map((t, i) => (
        <Box key={i} flexDirection="column">
          <Text>
            {'  '}
            <Text color={t.ok ? c.ok : c.fail} bold>
              {t.ok ? '✓ pass' : '✗ FAIL'}
            </Text>
            {`  ${t.expression}  (actual ${t.actual === null ? 'missing' : String(t.actual)})`}
          </Text>
          {t.ok ? null : <Text color={c.fail}>{`          ${t.message}`}</Text>}
        </Box>
      ))}
    </Section>
  );
}
