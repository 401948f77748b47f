/**
 * The replication pool: runs tasks in worker threads (piscina), at most
 * `workers` at once, dispatched in index order, results stored by task index
 * (never completion order), so any worker count gives the same results array.
 * Generic: it is handed the worker module; a failed or dead worker becomes a
 * ReplicationFailedError. runPool destroys its threads before returning;
 * TaskPool keeps them for the caller to reuse.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { KernelError } from './errors.ts';
import { errorData, type WorkerErrorData } from './worker-error.ts';

/** What a worker entry receives: the task plus a port for progress messages (`port` is reserved). */
export type PoolTask<TTask> = TTask & { readonly port: MessagePort };

export type { WorkerErrorData } from './worker-error.ts';

/** What a worker entry returns: failures are caught and returned, not thrown. */
export type WorkerReply<TResult> = { readonly ok: true; readonly result: TResult } | { readonly ok: false; readonly error: WorkerErrorData };

export interface PoolOptions<TTask extends object, TResult> {
  /** The worker module (default export: PoolTask<TTask> -> WorkerReply<TResult>). A `.ts` file gets tsx. */
  readonly workerFile: string | URL;
  /** In index order; each must be structured-cloneable. */
  readonly tasks: readonly TTask[];
  /** Threads, and the most tasks in flight. */
  readonly workers: number;
  /** Called in completion order; `done` counts completed tasks. */
  onResult?(index: number, result: TResult, done: number, total: number): void;
  /** Whatever a task posts on its port, in order; all it posted before returning comes before its onResult, nothing after. */
  onProgress?(message: unknown, index: number): void;
  /** Abort: stop dispatching, terminate in-flight tasks, resolve with what completed. */
  readonly signal?: AbortSignal;
  /** How to reproduce a task, for error messages (e.g. its seed path). */
  describeTask?(task: TTask, index: number): string;
  /** Worker execArgv; default: the parent's, plus tsx when the worker file is TypeScript. */
  readonly execArgv?: readonly string[];
  /** Per-worker V8 heap limits (V8 flags in execArgv are process-wide, these are not). */
  readonly resourceLimits?: ResourceLimits;
}

export interface PoolOutcome<TResult> {
  /** By task index; undefined where a task did not complete (aborted runs only). */
  readonly results: (TResult | undefined)[];
  readonly completed: number;
  readonly aborted: boolean;
}

/** A task threw in its worker, or its worker thread died (exit, uncaught error, out of memory). */
export class ReplicationFailedError extends KernelError {
  override readonly code = 'REPLICATION_FAILED';
  constructor(
    readonly index: number,
    /** describeTask's text, or `task <index>`. */
    readonly task: string,
    /** 'threw': the task failed and said why; 'died': no answer (thread died, or the module did not load). */
    readonly kind: 'threw' | 'died',
    readonly reason: WorkerErrorData,
  ) {
    super(
      `${task} failed: ${kind === 'threw' ? 'it threw' : 'its worker thread died'}: ${reason.message}`,
      kind === 'threw'
        ? 'a task is a pure function of its data: rerun this one alone on the main thread to debug it (the worker stack is in .reason.stack)'
        : 'a worker ends without answering on process.exit, an uncaught asynchronous error, out of memory, or when its module cannot be loaded (check workerFile and its default export); rerun this task alone to see which',
    );
    this.name = 'ReplicationFailedError';
  }
}

/** Invalid pool options, named by option path. */
export class PoolOptionError extends KernelError {
  override readonly code = 'BAD_POOL_OPTION';
  constructor(path: string, got: unknown, hint: string) {
    super(`runPool: options.${path} is invalid (got ${String(got)})`, hint);
    this.name = 'PoolOptionError';
  }
}

export interface TaskPoolOptions {
  /** The worker module (default export: PoolTask<TTask> -> WorkerReply<TResult>). A `.ts` file gets tsx. */
  readonly workerFile: string | URL;
  readonly threads: number;
  /** Worker execArgv; default: the parent's, plus tsx when the worker file is TypeScript. */
  readonly execArgv?: readonly string[];
  /** Per-worker V8 heap limits (V8 flags in execArgv are process-wide, these are not). */
  readonly resourceLimits?: ResourceLimits;
  /** A worker failing while idle (not tied to a task); default: ignored, piscina replaces the thread. */
  onPoolError?(e: ReplicationFailedError): void;
}

/**
 * A long-lived set of worker threads that runs one task at a time per thread
 * (queued FIFO when all are busy). runPool starts one per batch; a queue
 * worker keeps one for the life of the process.
 */
export class TaskPool<TTask extends object, TResult> {
  readonly threads: number;
  private readonly pool: Piscina;

  constructor(options: TaskPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new PoolOptionError('threads', options.threads, 'pass a whole number of threads, 1 or more');
    this.threads = options.threads;
    const file = typeof options.workerFile === 'string' && !options.workerFile.startsWith('file:') ? options.workerFile : fileURLToPath(options.workerFile);
    this.pool = new Piscina({
      filename: file,
      minThreads: options.threads,
      maxThreads: options.threads,
      concurrentTasksPerWorker: 1,
      execArgv: [...(options.execArgv ?? defaultExecArgv(file))],
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    });
    // Errors not tied to a task would otherwise crash the process.
    this.pool.on('error', (e: unknown) => options.onPoolError?.(new ReplicationFailedError(-1, 'the pool', 'died', errorData(e))));
  }

  /**
   * Runs one task. Everything it posts on its port before returning reaches
   * onProgress before this resolves, nothing after. Throws
   * ReplicationFailedError ('threw' or 'died', named by `describe`), or the
   * abort reason when `signal` aborted it.
   */
  async run(task: TTask, index: number, describe: string, onProgress?: (message: unknown) => void, signal?: AbortSignal): Promise<TResult> {
    const { port1, port2 } = new MessageChannel();
    let open = true;
    port1.on('message', (m: unknown) => {
      if (open) onProgress?.(m);
    });
    try {
      let reply: WorkerReply<TResult>;
      try {
        reply = (await this.pool.run({ ...task, port: port2 } satisfies PoolTask<TTask>, { transferList: [port2], signal: signal ?? null })) as WorkerReply<TResult>;
      } catch (e) {
        if (signal?.aborted === true) throw e;
        throw new ReplicationFailedError(index, describe, 'died', errorData(e));
      }
      // The result came on piscina's port; progress posted before it may still be
      // queued on ours (no order across ports): deliver it first.
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) onProgress?.(m.message);
      if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') {
        throw new ReplicationFailedError(index, describe, 'threw', { name: 'TypeError', message: `the worker returned ${JSON.stringify(reply) ?? String(reply)}, not { ok, result } or { ok, error }` });
      }
      if (!reply.ok) throw new ReplicationFailedError(index, describe, 'threw', reply.error);
      return reply.result;
    } finally {
      open = false;
      port1.close(); // a listening port would keep the process alive
    }
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

export async function runPool<TTask extends object, TResult>(options: PoolOptions<TTask, TResult>): Promise<PoolOutcome<TResult>> {
  const { tasks, signal } = options;
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new PoolOptionError('workers', options.workers, 'pass a whole number of threads, 1 or more');
  const total = tasks.length;
  const results: (TResult | undefined)[] = new Array<TResult | undefined>(total).fill(undefined);
  if (total === 0 || signal?.aborted === true) return { results, completed: 0, aborted: signal?.aborted === true };

  const threads = Math.min(options.workers, total);
  let fail = (_e: Error): void => {};
  const pool = new TaskPool<TTask, TResult>({
    workerFile: options.workerFile,
    threads,
    ...(options.execArgv === undefined ? {} : { execArgv: options.execArgv }),
    ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    onPoolError: (e) => fail(e),
  });
  const describe = (i: number): string => options.describeTask?.(tasks[i]!, i) ?? `task ${i}`;
  let onAbort = (): void => {};
  try {
    return await new Promise<PoolOutcome<TResult>>((resolve, reject) => {
      let next = 0;
      let inFlight = 0;
      let completed = 0;
      let settled = false;

      fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const finishIfIdle = (): void => {
        if (settled || inFlight > 0) return;
        const aborted = signal?.aborted === true;
        if (!aborted && next < total) return;
        settled = true;
        resolve({ results, completed, aborted: aborted && completed < total });
      };
      const start = (i: number): void => {
        inFlight++;
        pool
          .run(tasks[i]!, i, describe(i), (m) => !settled && options.onProgress?.(m, i), signal)
          .then(
            (result) => {
              if (settled) return;
              results[i] = result;
              completed++;
              options.onResult?.(i, result, completed, total);
            },
            (e: unknown) => {
              // An abort rejects the tasks it terminates: that is the partial run, not a failure.
              if (signal?.aborted === true) return;
              fail(e instanceof Error ? e : new Error(String(e)));
            },
          )
          .catch((e: unknown) => fail(e instanceof Error ? e : new Error(String(e)))) // a throwing onResult/onProgress
          .finally(() => {
            inFlight--;
            dispatch();
          });
      };
      const dispatch = (): void => {
        while (!settled && signal?.aborted !== true && inFlight < threads && next < total) start(next++);
        finishIfIdle();
      };
      onAbort = finishIfIdle;
      signal?.addEventListener('abort', onAbort, { once: true });
      dispatch();
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
}

/**
 * Node cannot load a .ts worker by itself, and neither vitest nor the `pitsim`
 * bin (tsx registered through its API) puts tsx in execArgv: add it, as an
 * absolute URL so it resolves whatever the current directory.
 */
function defaultExecArgv(file: string): string[] {
  const inherited = process.execArgv.filter((a) => !/^--(single-threaded|single-threaded-gc|max-semi-space-size|max-old-space-size)(=|$)/.test(a));
  if (!/\.[cm]?tsx?$/.test(file)) return inherited;
  const hasTsx = inherited.some((a, i) => /(^|[/\\=])tsx([/\\]|$)/.test(a) && (a.startsWith('--import') || inherited[i - 1] === '--import'));
  if (hasTsx) return inherited;
  return [...inherited, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
