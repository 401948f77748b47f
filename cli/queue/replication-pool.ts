/**
 * A worker process's long-lived replication pool: piscina threads running the
 * same module, heap limits and error reporting as runReplications (engine/
 * pool.ts), but started once and shared by every job the process takes.
 * engine/pool.ts starts and destroys a pool per call; here that start-up
 * (a thread, tsx, the domain's modules: ~0.5-1 s on the 2-core CI machine)
 * would be paid per job, which made a one-replication job ~8x slower than
 * the replication itself. Replications are pure functions of (spec, index),
 * so a thread reused across jobs and specs gives the same results.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ReplicationFailedError, type PoolTask, type WorkerErrorData, type WorkerReply } from '../../engine/pool.ts';
import type { ReplicationProgressMessage, ReplicationTask } from '../../agents/replication-worker.ts';
import type { ReplicationResult } from '../../agents/result.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { describeReplication, REPLICATION_RESOURCE_LIMITS, REPLICATION_WORKER } from '../run-replications.ts';

export interface ReplicationPoolOptions {
  readonly threads: number;
  /** Tests only: the worker module (default REPLICATION_WORKER). */
  readonly workerFile?: string | URL;
}

export class ReplicationPool {
  readonly threads: number;
  private readonly pool: Piscina;

  constructor(options: ReplicationPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${options.threads}`);
    this.threads = options.threads;
    const workerFile = options.workerFile ?? REPLICATION_WORKER;
    const file = typeof workerFile === 'string' && !workerFile.startsWith('file:') ? workerFile : fileURLToPath(workerFile);
    this.pool = new Piscina({
      filename: file,
      minThreads: options.threads,
      maxThreads: options.threads,
      concurrentTasksPerWorker: 1,
      execArgv: execArgvFor(file),
      resourceLimits: REPLICATION_RESOURCE_LIMITS,
    });
    // A thread dying while idle: piscina replaces it (an unheard 'error' would crash the process).
    this.pool.on('error', () => {});
  }

  /**
   * Runs replication `index` of `spec` on a free thread (queued FIFO when all
   * are busy). Progress messages come before the result, none after. Throws
   * ReplicationFailedError ('threw' or 'died'), or the abort reason.
   */
  async run(spec: ScenarioSpec, index: number, onProgress?: (m: ReplicationProgressMessage) => void, signal?: AbortSignal): Promise<ReplicationResult> {
    const { port1, port2 } = new MessageChannel();
    let open = true;
    port1.on('message', (m: ReplicationProgressMessage) => {
      if (open) onProgress?.(m);
    });
    const task: PoolTask<ReplicationTask> = { spec, index, port: port2 };
    try {
      let reply: WorkerReply<ReplicationResult>;
      try {
        reply = (await this.pool.run(task, { transferList: [port2], signal: signal ?? null })) as WorkerReply<ReplicationResult>;
      } catch (e) {
        if (signal?.aborted === true) throw e;
        throw new ReplicationFailedError(index, describeReplication(spec, index), 'died', errorData(e));
      }
      // Progress posted before the result may still be queued on our port (no order across ports).
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) onProgress?.(m.message as ReplicationProgressMessage);
      if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') {
        throw new ReplicationFailedError(index, describeReplication(spec, index), 'threw', { name: 'TypeError', message: `the worker returned ${JSON.stringify(reply) ?? String(reply)}, not { ok, result } or { ok, error }` });
      }
      if (!reply.ok) throw new ReplicationFailedError(index, describeReplication(spec, index), 'threw', reply.error);
      return reply.result;
    } finally {
      open = false;
      port1.close();
    }
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

function errorData(e: unknown): WorkerErrorData {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }), ...(code === undefined ? {} : { code }) };
}

/** The parent's execArgv, plus tsx for a TypeScript worker file (as engine/pool.ts does). */
function execArgvFor(file: string): string[] {
  const inherited = [...process.execArgv];
  if (!/\.[cm]?tsx?$/.test(file)) return inherited;
  const hasTsx = inherited.some((a, i) => /(^|[/\\=])tsx([/\\]|$)/.test(a) && (a.startsWith('--import') || inherited[i - 1] === '--import'));
  if (hasTsx) return inherited;
  return [...inherited, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
