/**
 * A worker process's long-lived replication pool: the engine's TaskPool with
 * the same module, heap limits and error reporting as runReplications, but
 * started once and shared by every job the process takes. runPool starts and
 * destroys its threads per call; here that start-up
 * (a thread, tsx, the domain's modules: ~0.5-1 s on the 2-core CI machine)
 * would be paid per job, which made a one-replication job ~8x slower than
 * the replication itself. Replications are pure functions of (spec, index),
 * so a thread reused across jobs and specs gives the same results.
 */
import { TaskPool } from '../../engine/pool.ts';
import type { ReplicationProgressMessage, ReplicationTask } from '../../agents/replication-worker.ts';
import type { ReplicationResult } from '../../agents/result.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { fitGcToPool, REPLICATION_RESOURCE_LIMITS } from '../gc-helpers.ts';
import { describeReplication, REPLICATION_WORKER } from '../run-replications.ts';

export interface ReplicationPoolOptions {
  readonly threads: number;
  /** Tests only: the worker module (default REPLICATION_WORKER). */
  readonly workerFile?: string | URL;
}

export class ReplicationPool {
  readonly threads: number;
  private readonly pool: TaskPool<ReplicationTask, ReplicationResult>;

  constructor(options: ReplicationPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${options.threads}`);
    this.threads = options.threads;
    fitGcToPool(options.threads);
    // A thread dying while idle: piscina replaces it (TaskPool ignores it by default).
    this.pool = new TaskPool({ workerFile: options.workerFile ?? REPLICATION_WORKER, threads: options.threads, resourceLimits: REPLICATION_RESOURCE_LIMITS });
  }

  /**
   * Runs replication `index` of `spec` on a free thread (queued FIFO when all
   * are busy). Progress messages come before the result, none after. Throws
   * ReplicationFailedError ('threw' or 'died'), or the abort reason.
   */
  run(spec: ScenarioSpec, index: number, onProgress?: (m: ReplicationProgressMessage) => void, signal?: AbortSignal): Promise<ReplicationResult> {
    return this.pool.run({ spec, index }, index, describeReplication(spec, index), onProgress === undefined ? undefined : (m) => onProgress(m as ReplicationProgressMessage), signal);
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}
