/**
 * One line per busy worker: the replication it runs, its events so far, and
 * how far through the simulated period it has got.
 */
import { Box, Text } from 'ink';
import type { WorkerLine } from '../dashboard-state.ts';
import { bar, count } from '../format.ts';
import { usePalette } from '../theme.ts';

export interface WorkerLinesProps {
  readonly workers: readonly WorkerLine[];
  readonly durationMs: number;
  readonly width?: number;
}

export function WorkerLines({ workers, durationMs, width = 20 }: WorkerLinesProps) {
  const c = usePalette();
  const days = durationMs / 86_400_000;
  if (workers.length === 0) return <Text color={c.muted}>  no replication in flight</Text>;
  return (
    <Box flexDirection="column">
      {workers.map((w) => (
        <Text key={w.slot}>
          {`  worker ${String(w.slot).padEnd(2)} replication ${String(w.replication).padEnd(4)} ${count(w.events).padStart(9)} events  day ${(w.simTimeMs / 86_400_000).toFixed(1).padStart(4)} of ${days.toFixed(0)}  `}
          <Text color={c.muted}>{bar(durationMs > 0 ? w.simTimeMs / durationMs : 0, width)}</Text>
        </Text>
      ))}
    </Box>
  );
}
