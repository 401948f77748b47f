/**
 * One flow's live tile: success rate (coloured by how close to 100 % it is),
 * p95 latency so far, and the attempts it rests on.
 */
import { Box, Text } from 'ink';
import type { FlowReport } from '../../../reports/report.ts';
import { count, ms, pct } from '../format.ts';
import { usePalette } from '../theme.ts';

export function FlowTile({ name, flow, width = 20 }: { readonly name: string; readonly flow: FlowReport; readonly width?: number }) {
  const c = usePalette();
  const rate = flow.successRate;
  const tone = rate >= 0.99 ? c.ok : rate >= 0.9 ? c.warn : c.fail;
  return (
    <Box flexDirection="column" borderStyle="round" width={width} paddingX={1}>
      <Text bold>{name}</Text>
      <Text color={tone}>{`${pct(rate, 2)} ok`}</Text>
      <Text>{`p95 ${ms(flow.latencyMs.p95)} ms`}</Text>
      <Text color={c.muted}>{`${count(flow.attempts)} attempts`}</Text>
    </Box>
  );
}
