/**
 * The worker entry the pool loads (default export, piscina): one replication
 * task in, `{ ok: true, result }` or `{ ok: false, error }` out, never a throw
 * (error classes lose identity in structured clone). Progress ({ events,
 * simTimeMs }) goes out on the task's port about every PROGRESS_EVERY events,
 * between slices of simulated time; it only observes, so results are the same
 * with or without it. After each replication the thread collects its young
 * generation, when the pool's process exposed `gc` (cli/gc-helpers.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import type { WorkerReply } from '../engine/pool.ts';
import { errorData } from '../engine/worker-error.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';
import { runReplication } from './replication.ts';
import type { ReplicationResult } from './result.ts';

export interface ReplicationTask {
  readonly spec: ScenarioSpec;
  readonly index: number;
  /**
   * Tests only, to exercise the failure paths for real: 'throw' makes the
   * replication throw; 'crash' kills the worker thread with an uncaught
   * asynchronous error, so it never answers.
   */
  readonly testFault?: 'throw' | 'crash';
}

export interface ReplicationProgressMessage {
  readonly index: number;
  readonly events: number;
  readonly simTimeMs: number;
}

/** Often enough for a live display (a few per second), rare enough to cost nothing. */
export const PROGRESS_EVERY = 25_000;

/**
 * V8's `gc`, present when the process set --expose-gc before this thread
 * started. Collecting the young generation between replications costs almost
 * nothing (little survives a finished replication) and hands the next one an
 * empty nursery. GC never changes results.
 */
const collectGarbage = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;

export default function replicationWorker(task: ReplicationTask & { readonly port?: MessagePort }): WorkerReply<ReplicationResult> | Promise<never> {
  try {
    if (task.testFault === 'crash') {
      queueMicrotask(() => {
        throw new Error(`test fault: worker for replication ${task.index} crashed`);
      });
      return new Promise<never>(() => {}); // never answers: the thread dies first
    }
    if (task.testFault === 'throw') throw new Error(`test fault: replication ${task.index} threw`);
    const port = task.port;
    const progress =
      port === undefined
        ? null
        : { everyEvents: PROGRESS_EVERY, report: (events: number, simTimeMs: number) => port.postMessage({ index: task.index, events, simTimeMs } satisfies ReplicationProgressMessage) };
    const result = runReplication(task.spec, task.index, { progress });
    collectGarbage?.({ type: 'minor' });
    return { ok: true, result };
  } catch (e) {
    return { ok: false, error: errorData(e) };
  } finally {
    if (task.testFault !== 'crash') task.port?.close();
  }
}
