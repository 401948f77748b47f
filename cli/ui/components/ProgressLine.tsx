/**
 * The progress bar: replications done of total, events/s, elapsed wall time
 * and the estimated time left.
 */
import { Text } from 'ink';
import { bar, clock, count } from '../format.ts';
import { usePalette } from '../theme.ts';

export interface ProgressLineProps {
  readonly done: number;
  readonly total: number;
  readonly eventsPerSec: number;
  readonly elapsedMs: number;
  readonly etaMs: number | null;
  readonly width?: number;
}

export function ProgressLine({ done, total, eventsPerSec, elapsedMs, etaMs, width = 30 }: ProgressLineProps) {
  const c = usePalette();
  return (
    <Text>
      {'  '}
      <Text color={c.accent}>{bar(total === 0 ? 0 : done / total, width)}</Text>
      {`  ${done}/${total} replications  ·  ${count(eventsPerSec)} events/s  ·  elapsed ${clock(elapsedMs)}  ·  ETA ${etaMs === null ? '-' : clock(etaMs)}`}
    </Text>
  );
}
