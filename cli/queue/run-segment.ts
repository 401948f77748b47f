/**
 * Runs one segment (replications from..to-1 of a spec) on the worker
 * process's ReplicationPool, at most `pool.threads` at once, and returns the
 * results in index order. A segment is all or nothing: the first failure
 * cancels the rest and is thrown (a ReplicationFailedError naming the
 * replication and its seed path); an abort throws SegmentAbortedError.
 * Replications are pure functions of (spec, index): the results are those of
 * a local run.
 */
import type { ReplicationResult } from '../../agents/result.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { ProgressTally } from '../progress-tally.ts';
import type { SegmentProgress } from './protocol.ts';
import type { ReplicationPool } from './replication-pool.ts';

export interface RunSegmentOptions {
  /** After every progress message and every finished replication. */
  onProgress?(p: SegmentProgress): void;
  readonly signal?: AbortSignal;
}

export class SegmentAbortedError extends Error {
  constructor(from: number, to: number) {
    super(`segment ${from}-${to} was aborted before it finished`);
    this.name = 'SegmentAbortedError';
  }
}

export async function runSegment(pool: ReplicationPool, spec: ScenarioSpec, from: number, to: number, options: RunSegmentOptions = {}): Promise<ReplicationResult[]> {
  const results = new Array<ReplicationResult | undefined>(to - from).fill(undefined);
  const tally = new ProgressTally();
  const report = (): void => options.onProgress?.({ done: tally.done, events: tally.events, running: tally.inFlight() });
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) stop.abort();
  let failure: { error: unknown } | null = null;
  let next = from;
  const lane = async (): Promise<void> => {
    while (failure === null && !stop.signal.aborted && next < to) {
      const index = next++;
      try {
        const r = await pool.run(
          spec,
          index,
          (m) => {
            tally.progress(index, m.events, m.simTimeMs);
            report();
          },
          stop.signal,
        );
        if (r.index !== index) throw new Error(`internal: the pool returned replication ${r.index} in place of ${index}`);
        results[index - from] = r;
        tally.finished(index, r.events);
        report();
      } catch (e) {
        tally.dropped(index);
        if (failure === null && options.signal?.aborted !== true) failure = { error: e };
        stop.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(pool.threads, to - from) }, lane));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  if (options.signal?.aborted === true || results.some((r) => r === undefined)) throw new SegmentAbortedError(from, to);
  return results as ReplicationResult[];
}
