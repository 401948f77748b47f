/**
 * The live `pitsim run` screen: header, progress, one line per worker, flow
 * tiles, the fault timeline and the security counters of the replications
 * finished so far. `q` or Ctrl-C calls onQuit once (input is read only when
 * stdin supports raw mode); the caller stops the run and keeps what finished.
 */
import { Box, Text, useInput, useStdin } from 'ink';
import { useRef } from 'react';
import type { DashboardState, RunHeader } from '../dashboard-state.ts';
import { span } from '../format.ts';
import { usePalette } from '../theme.ts';
import { FaultTimeline } from './FaultTimeline.tsx';
import { FlowTiles } from './FlowTiles.tsx';
import { ProgressLine } from './ProgressLine.tsx';
import { RunHeaderLine } from './RunHeaderLine.tsx';
import { SecurityCounters } from './SecurityCounters.tsx';
import { WorkerLines } from './WorkerLines.tsx';

export interface RunDashboardProps {
  readonly header: RunHeader;
  readonly state: DashboardState | null;
  readonly onQuit: () => void;
  /** Terminal columns (bars and tiles fit in them). */
  readonly columns?: number;
}

export function RunDashboard({ header, state, onQuit, columns = 100 }: RunDashboardProps) {
  const c = usePalette();
  const { isRawModeSupported } = useStdin();
  const quit = useRef(false);
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) {
        if (quit.current) return;
        quit.current = true;
        onQuit();
      }
    },
    { isActive: isRawModeSupported === true },
  );
  const s: DashboardState = state ?? { done: 0, total: header.replications, events: 0, eventsPerSec: 0, elapsedMs: 0, etaMs: null, workers: [], partial: null, faults: [], stopping: false };
  const tile = Math.max(18, Math.min(24, Math.floor((columns - 4) / 5)));
  return (
    <Box flexDirection="column">
      <RunHeaderLine header={header} />
      <Text> </Text>
      <ProgressLine done={s.done} total={s.total} eventsPerSec={s.eventsPerSec} elapsedMs={s.elapsedMs} etaMs={s.etaMs} width={Math.max(10, Math.min(40, columns - 80))} />
      <WorkerLines workers={s.workers} durationMs={header.durationMs} width={Math.max(10, Math.min(30, columns - 75))} />
      <Text> </Text>
      <Text bold>{s.partial === null ? 'Flows' : `Flows (${s.partial.meta.replications} replication${s.partial.meta.replications === 1 ? '' : 's'} so far)`}</Text>
      <FlowTiles report={s.partial} tileWidth={tile} />
      <Text bold>{`Faults (simulated time: ${span(header.durationMs)} from ${header.startDate})`}</Text>
      <FaultTimeline faults={s.faults} workers={s.workers} durationMs={header.durationMs} columns={columns} />
      <Text> </Text>
      <Text bold>Security</Text>
      <SecurityCounters security={s.partial === null ? null : s.partial.security} />
      <Text> </Text>
      {s.stopping ? (
        <Text color={c.warn}>{`stopping: keeping the ${s.done} finished replication${s.done === 1 ? '' : 's'}; the report will be marked partial`}</Text>
      ) : (
        <Text color={c.muted}>q quit (finished replications are kept, the report is marked partial)</Text>
      )}
    </Box>
  );
}
