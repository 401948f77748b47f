/**
 * The scenario's faults on the simulated timeline: one bar per fault (█ where
 * a window is active, · where not), what it hits, the workers' positions
 * under the bars, and which faults are active where a worker is now.
 * Stochastic faults have no fixed windows: they are drawn as ~ and say so.
 */
import { Box, Text } from 'ink';
import type { FaultLane, WorkerLine } from '../dashboard-state.ts';
import { fit } from '../format.ts';
import { usePalette } from '../theme.ts';

export interface FaultTimelineProps {
  readonly faults: readonly FaultLane[];
  readonly workers: readonly WorkerLine[];
  readonly durationMs: number;
  /** Terminal columns; the bars take what the labels leave. */
  readonly columns?: number;
}

const WHAT_WIDTH = 26;

export function FaultTimeline({ faults, workers, durationMs, columns = 100 }: FaultTimelineProps) {
  const c = usePalette();
  if (faults.length === 0) return <Text color={c.muted}>  faults: none in this scenario</Text>;
  const idWidth = Math.min(20, Math.max(7, ...faults.map((f) => f.id.length)));
  const width = Math.max(16, Math.min(60, columns - idWidth - WHAT_WIDTH - 24));
  const cell = (t: number): number => Math.min(width - 1, Math.max(0, Math.floor((t / durationMs) * width)));
  const cursor = Array.from({ length: width }, () => ' ');
  for (const w of workers) cursor[cell(w.simTimeMs)] = w.slot < 10 ? String(w.slot) : '+';
  return (
    <Box flexDirection="column">
      {faults.map((f) => {
        const active = f.stochastic ? [] : workers.filter((w) => f.windows.some(([a, b]) => w.simTimeMs >= a && w.simTimeMs < b)).map((w) => `w${w.slot}`);
        let line = '';
        for (let i = 0; i < width; i++) {
          const a = (i * durationMs) / width;
          const b = ((i + 1) * durationMs) / width;
          line += f.stochastic ? '~' : f.windows.some(([x, y]) => x < b && y > a) ? '█' : '·';
        }
        const what = f.stochastic ? `${f.kind} ${f.target}, random windows` : `${f.kind} ${f.target}`;
        return (
          <Text key={f.id}>
            {`  ${fit(f.id, idWidth)}  `}
            <Text color={f.stochastic ? c.muted : c.warn}>{line}</Text>
            {`  ${active.length > 0 ? fit(what, WHAT_WIDTH) : what}`}
            {active.length > 0 ? <Text color={c.fail} bold>{`  active (${active.join(' ')})`}</Text> : ''}
          </Text>
        );
      })}
      <Text color={c.muted}>{`  ${fit('workers', idWidth)}  ${cursor.join('').trimEnd()}`}</Text>
    </Box>
  );
}
