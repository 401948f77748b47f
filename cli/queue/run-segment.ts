/**
 * Runs one segment (replications from..to-1 of a spec) on a local piscina
 * pool, the way runReplications runs a whole spec: the same worker module,
 * heap limits and error descriptions, results in index order. It exists
 * because runReplications always starts at index 0; a replication is a pure
 * function of (spec, index), so the results are those of a local run.
 */
import { runPool } from '../../engine/pool.ts';
import type { ReplicationProgressMessage, ReplicationTask } from '../../agents/replication-worker.ts';
import type { ReplicationResult } from '../../agents/result.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { describeReplication, REPLICATION_RESOURCE_LIMITS, REPLICATION_WORKER, type RunningReplication } from '../run-replications.ts';
import type { SegmentProgress } from './protocol.ts';

export interface RunSegmentOptions {
  /** Threads of this segment's pool (default 1). */
  readonly threads?: number;
  /** After every progress message and every finished replication. */
  onProgress?(p: SegmentProgress): void;
  /** Abort: the returned promise rejects (a segment is all or nothing). */
  readonly signal?: AbortSignal;
  /** Tests only: the worker module. */
  readonly workerFile?: string | URL;
}

export class SegmentAbortedError extends Error {
  constructor(from: number, to: number) {
    super(`segment ${from}-${to} was aborted before it finished`);
    this.name = 'SegmentAbortedError';
  }
}

/** Throws ReplicationFailedError (from the pool) when a replication throws or its thread dies. */
export async function runSegment(spec: ScenarioSpec, from: number, to: number, options: RunSegmentOptions = {}): Promise<ReplicationResult[]> {
  const tasks: ReplicationTask[] = [];
  for (let index = from; index < to; index++) tasks.push({ spec, index });
  const running = new Map<number, RunningReplication>();
  let doneEvents = 0;
  let done = 0;
  const report = (): void => {
    if (options.onProgress === undefined) return;
    let events = doneEvents;
    for (const r of running.values()) events += r.events;
    options.onProgress({ done, events, running: [...running.values()].sort((a, b) => a.index - b.index) });
  };
  const outcome = await runPool<ReplicationTask, ReplicationResult>({
    workerFile: options.workerFile ?? REPLICATION_WORKER,
    tasks,
    workers: Math.max(1, Math.min(options.threads ?? 1, tasks.length)),
    resourceLimits: REPLICATION_RESOURCE_LIMITS,
    describeTask: (t) => describeReplication(spec, t.index),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onProgress: (m) => {
      const p = m as ReplicationProgressMessage;
      running.set(p.index, { index: p.index, events: p.events, simTimeMs: p.simTimeMs });
      report();
    },
    onResult: (i, result, completed) => {
      running.delete(from + i);
      doneEvents += result.events;
      done = completed;
      report();
    },
  });
  if (outcome.aborted) throw new SegmentAbortedError(from, to);
  return outcome.results.map((r, i) => {
    if (r === undefined) throw new SegmentAbortedError(from, to);
    if (r.index !== from + i) throw new Error(`internal: the pool returned replication ${r.index} in place of ${from + i}`);
    return r;
  });
}
