/**
 * What the live `pitsim run` dashboard shows, as plain data (no ink, no
 * react), so cli/run-with-ui.ts can build it without loading the UI. The
 * caller sends a fresh DashboardState after each progress message; the
 * partial Report is aggregated from the replications finished so far.
 */
import type { Report } from '../../reports/report.ts';

export interface RunHeader {
  readonly scenario: string;
  readonly seed: number;
  readonly replications: number;
  readonly workers: number;
  /** Simulated length of one replication, ms (the fault timeline's scale). */
  readonly durationMs: number;
  /** Calendar date of t = 0 (YYYY-MM-DD). */
  readonly startDate: string;
}

/** One busy worker: which replication it runs and how far it has got. */
export interface WorkerLine {
  /** 1-based worker slot, stable while the replication runs. */
  readonly slot: number;
  readonly replication: number;
  readonly events: number;
  /** Simulated time the replication has reached, ms. */
  readonly simTimeMs: number;
}

/** A fault of the scenario and when it is active in simulated time (from the spec). */
export interface FaultLane {
  readonly id: string;
  readonly kind: string;
  /** The selector as written: `ncp.FR`, `link DE-FR`, `terminology`. */
  readonly target: string;
  /** Active windows [from, to) in simulated ms, in order; empty for stochastic faults. */
  readonly windows: readonly (readonly [number, number])[];
  /** Up and down at random (mtbf/mttr): windows differ per replication. */
  readonly stochastic: boolean;
}

export interface DashboardState {
  /** Replications finished. */
  readonly done: number;
  readonly total: number;
  /** Events processed so far (finished replications plus those in flight). */
  readonly events: number;
  readonly eventsPerSec: number;
  readonly elapsedMs: number;
  /** Estimated wall time left; null until there is something to go on. */
  readonly etaMs: number | null;
  /** Busy workers, by slot. */
  readonly workers: readonly WorkerLine[];
  /** The Report of the replications finished so far; null before the first. */
  readonly partial: Report | null;
  readonly faults: readonly FaultLane[];
  /** q or Ctrl-C was pressed: the run is stopping, finished replications are kept. */
  readonly stopping: boolean;
}
