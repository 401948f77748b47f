/**
 * Runs a spec's replications on the worker pool and returns them in index
 * order (the order aggregation needs), whatever the worker count. Always the
 * pool, even for one worker: the main thread stays free for progress, the TUI
 * and Ctrl-C, at a fixed start-up cost (see cli/bench/parallel.ts).
 */
import { availableParallelism } from 'node:os';
import { runPool } from '../engine/pool.ts';
import { fitGcToPool, REPLICATION_RESOURCE_LIMITS } from './gc-helpers.ts';
import { ProgressTally } from './progress-tally.ts';
import { replicationStream } from '../agents/replication.ts';
import type { ReplicationProgressMessage, ReplicationTask } from '../agents/replication-worker.ts';
import type { ReplicationResult } from '../agents/result.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';

export const REPLICATION_WORKER = new URL('../agents/replication-worker.ts', import.meta.url);

/** One replication in flight: how far it has got. */
export interface RunningReplication {
  readonly index: number;
  readonly events: number;
  readonly simTimeMs: number;
}

export interface ReplicationsProgress {
  /** Replications completed. */
  readonly done: number;
  readonly total: number;
  /** Events processed so far: completed replications plus those in flight. */
  readonly events: number;
  /** The replications in flight (one per busy worker), by index. */
  readonly perWorker?: readonly RunningReplication[];
}

export interface RunReplicationsOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly workers?: number;
  onProgress?(p: ReplicationsProgress): void;
  /** Stops the run; the replications completed so far come back with partial: true. */
  readonly signal?: AbortSignal;
  /** Tests only: the worker module (default REPLICATION_WORKER). */
  readonly workerFile?: string | URL;
  /** Tests only: make replication <index> throw or crash its worker. */
  readonly testFaults?: Readonly<Record<number, 'throw' | 'crash'>>;
}

export interface ReplicationsOutcome {
  /** Completed replications in index order (all of them unless partial). */
  readonly results: ReplicationResult[];
  readonly partial: boolean;
}

/** How to name (and reproduce) one replication in an error. */
export function describeReplication(spec: ScenarioSpec, index: number): string {
  return `replication ${index} of ${spec.name} (seed ${spec.seed}, stream ${replicationStream(spec, index).path})`;
}

export async function runReplications(spec: ScenarioSpec, options: RunReplicationsOptions = {}): Promise<ReplicationsOutcome> {
  const tasks: ReplicationTask[] = [];
  for (let index = 0; index < spec.replications; index++) {
    const fault = options.testFaults?.[index];
    tasks.push(fault === undefined ? { spec, index } : { spec, index, testFault: fault });
  }
  const tally = new ProgressTally();
  const report = (): void => options.onProgress?.({ done: tally.done, total: tasks.length, events: tally.events, perWorker: tally.inFlight() });

  const workers = options.workers ?? availableParallelism();
  fitGcToPool(Math.min(workers, tasks.length));
  const outcome = await runPool<ReplicationTask, ReplicationResult>({
    workerFile: options.workerFile ?? REPLICATION_WORKER,
    tasks,
    workers,
    resourceLimits: REPLICATION_RESOURCE_LIMITS,
    describeTask: (t) => describeReplication(spec, t.index),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onProgress: (m, index) => {
      const p = m as ReplicationProgressMessage;
      tally.progress(index, p.events, p.simTimeMs);
      report();
    },
    onResult: (index, result) => {
      tally.finished(index, result.events);
      report();
    },
  });
  const results = outcome.results.filter((r): r is ReplicationResult => r !== undefined);
  return { results, partial: outcome.aborted };
}
