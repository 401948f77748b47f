/**
 * A scenario's fault windows in simulated time, exactly as replication 0 of
 * the simulator has them: each fault's schedule runs through the simulator's
 * own `drive` (agents/faults/schedule.ts) on a small Simulation of its own,
 * on the stream installFaults forks for it (`rep:0/fault:<id>`), up to `toMs`.
 * A pure function of the scenario and its seed: no wall clock, no shared draw.
 */
import { Simulation } from '../../engine/index.ts';
import type { FaultSpec, ScenarioSpec } from '../../scenarios/spec.ts';
import type { FaultTally } from '../result.ts';
import { drive, FaultWindows } from '../faults/schedule.ts';
import { replicationStream } from '../replication.ts';

/** One active window, simulated ms: [fromMs, toMs), cut at the end asked for. */
export interface FaultWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Each fault's windows that open before `toMs`, in time order (one fault's
 * windows never overlap). Not for breaches: a breach's window is drawn by the
 * breach itself when it strikes (install.ts), not by its schedule.
 */
export function faultWindows(spec: ScenarioSpec, faults: readonly FaultSpec[], toMs: number): Map<string, FaultWindow[]> {
  const rep = replicationStream(spec, 0);
  const sim = new Simulation();
  const open = new Map<string, number>();
  const out = new Map<string, FaultWindow[]>();
  for (const f of faults) {
    if (f.kind === 'breach') throw new Error(`faultWindows: ${f.id} is a breach, whose window its schedule does not give`);
    const list: FaultWindow[] = [];
    out.set(f.id, list);
    const on = (): void => void open.set(f.id, sim.now);
    const off = (): void => {
      list.push({ fromMs: open.get(f.id)!, toMs: sim.now });
      open.delete(f.id);
    };
    // The same stream name as installFaults, so the draws of an MTBF/MTTR schedule are the simulator's.
    sim.process(drive(sim, f.schedule, rep.fork(`fault:${f.id}`), new FaultWindows(), on, off), `fault:${f.id}`);
  }
  // Entries at exactly toMs stay unprocessed, as at the end of a replication.
  sim.run(toMs);
  for (const [id, from] of open) out.get(id)!.push({ fromMs: from, toMs });
  return out;
}

/**
 * Windows and active time within [fromMs, toMs) of windows cut at toMs, in
 * the terms of the report's `faults` section. With fromMs 0 and toMs the
 * scenario's duration, the same figures (sums in the same order) as the
 * simulator's FaultWindows for replication 0.
 */
export function windowTally(f: FaultSpec, windows: readonly FaultWindow[], fromMs: number): FaultTally {
  let count = 0;
  let activeMs = 0;
  for (const w of windows) {
    if (w.toMs <= fromMs && w.fromMs < fromMs) continue;
    count++;
    activeMs += w.toMs - Math.max(w.fromMs, fromMs);
  }
  return { kind: f.kind, target: f.targetText, windows: count, activeMs };
}

/** Whether `t` falls in one of the windows (sorted, disjoint). */
export function activeAt(windows: readonly FaultWindow[], t: number): boolean {
  let lo = 0;
  let hi = windows.length;
  // The last window opening at or before t.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (windows[mid]!.fromMs <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && t < windows[lo - 1]!.toMs;
}
