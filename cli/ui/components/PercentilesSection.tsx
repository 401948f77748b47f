/**
 * Final report: a percentile chart per flow (p50, p90, p95, p99, max as text
 * bars, each flow scaled to its own max), so the tail is visible at a glance.
 */
import { Box, Text } from 'ink';
import type { Report } from '../../../reports/report.ts';
import { bar, ms } from '../format.ts';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';

const POINTS = ['p50', 'p90', 'p95', 'p99', 'max'] as const;

export function PercentilesSection({ report, barWidth = 40 }: { readonly report: Report; readonly barWidth?: number }) {
  const c = usePalette();
  const flows = Object.entries(report.flows).filter(([, f]) => f.latencyMs.count > 0);
  const nameWidth = Math.max(0, ...flows.map(([n]) => n.length));
  const vw = Math.max(0, ...flows.flatMap(([, f]) => POINTS.map((p) => ms(f.latencyMs[p]).length)));
  return (
    <Section title="Latency percentiles (ms)">
      {flows.length === 0 ? (
        <Text color={c.muted}>  no latencies</Text>
      ) : (
        flows.map(([name, f]) => {
          const l = f.latencyMs;
          const top = l.max;
          const values = POINTS.map((p) => ms(l[p]));
          return (
            <Box key={name} flexDirection="column">
              {POINTS.map((p, i) => (
                <Text key={p}>
                  {`  ${(i === 0 ? name : '').padEnd(nameWidth)}  ${p.padEnd(3)}  `}
                  <Text color={p === 'max' || p === 'p99' ? c.warn : c.accent}>{bar(top > 0 ? l[p] / top : 0, barWidth, '·')}</Text>
                  {`  ${values[i]!.padStart(vw)}`}
                </Text>
              ))}
            </Box>
          );
        })
      )}
    </Section>
  );
}
