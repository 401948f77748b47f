/**
 * The security counters so far; non-zero counts are highlighted. Items wrap
 * as a whole onto a second line when the terminal is narrow.
 */
import { Box, Text } from 'ink';
import type { SecurityReport } from '../../../reports/report.ts';
import { usePalette } from '../theme.ts';

export function SecurityCounters({ security }: { readonly security: SecurityReport | null }) {
  const c = usePalette();
  if (security === null) return <Text color={c.muted}>  security: waiting for the first replication to finish</Text>;
  const items: [number, string][] = [
    [security.recordsExposed, 'patients exposed'],
    [security.consentViolations, 'consent violations'],
    [security.doubleDispensations, 'double dispensations'],
    [security.auditGaps, 'audit gaps'],
    [security.breakGlassAccesses, 'break-glass'],
    [security.abuseAlerts, 'abuse alerts'],
  ];
  return (
    <Box flexDirection="row" flexWrap="wrap" paddingLeft={2}>
      {items.map(([n, what]) => (
        <Box key={what} marginRight={3}>
          <Text>
            <Text color={n > 0 ? c.fail : c.ok} bold={n > 0}>
              {String(n)}
            </Text>
            {` ${what}`}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
