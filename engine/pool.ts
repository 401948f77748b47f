/**
 * The replication pool: runs tasks in worker threads (piscina), at most
 * `workers` at once, dispatched in index order, results stored by task index
 * (never completion order), so any worker count gives the same results array.
 * Generic: it is handed the worker module; a failed or dead worker becomes a
 * ReplicationFailedError, and the pool is always destroyed before returning.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { KernelError } from './errors.ts';

/** What a worker entry receives: the task plus a port for progress messages (`port` is reserved). */
export type PoolTask<TTask> = TTask & { readonly port: MessagePort };

/** An error as plain data: Error subclasses lose identity in structured clone. */
export interface WorkerErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
}

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

export async function runPool<TTask extends object, TResult>(options: PoolOptions<TTask, TResult>): Promise<PoolOutcome<TResult>> {
  const { tasks, signal } = options;
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new PoolOptionError('workers', options.workers, 'pass a whole number of threads, 1 or more');
  const total = tasks.length;
  const results: (TResult | undefined)[] = new Array<TResult | undefined>(total).fill(undefined);
  if (total === 0 || signal?.aborted === true) return { results, completed: 0, aborted: signal?.aborted === true };

  const file = typeof options.workerFile === 'string' && !options.workerFile.startsWith('file:') ? options.workerFile : fileURLToPath(options.workerFile);
  const threads = Math.min(options.workers, total);
  const pool = new Piscina({
    filename: file,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    execArgv: [...(options.execArgv ?? defaultExecArgv(file))],
    ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
  });
  const describe = (i: number): string => options.describeTask?.(tasks[i]!, i) ?? `task ${i}`;
  const ports = new Set<MessagePort>();
  let onAbort = (): void => {};
  try {
    return await new Promise<PoolOutcome<TResult>>((resolve, reject) => {
      let next = 0;
      let inFlight = 0;
      let completed = 0;
      let settled = false;

      const fail = (e: Error): void => {
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
        const { port1, port2 } = new MessageChannel();
        let open = true;
        ports.add(port1);
        port1.on('message', (m: unknown) => {
          if (open && !settled) options.onProgress?.(m, i);
        });
        inFlight++;
        const task: PoolTask<TTask> = { ...tasks[i]!, port: port2 };
        (pool.run(task, { transferList: [port2], signal: signal ?? null }) as Promise<WorkerReply<TResult>>)
          .then(
            (reply) => {
              if (settled) return;
              // The result came on piscina's port; progress posted before it may still be
              // queued on ours (no order across ports): deliver it first.
              for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) options.onProgress?.(m.message, i);
              if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') {
                const got = { name: 'TypeError', message: `the worker returned ${JSON.stringify(reply) ?? String(reply)}, not { ok, result } or { ok, error }` };
                fail(new ReplicationFailedError(i, describe(i), 'threw', got));
              } else if (reply.ok) {
                results[i] = reply.result;
                completed++;
                options.onResult?.(i, reply.result, completed, total);
              } else fail(new ReplicationFailedError(i, describe(i), 'threw', reply.error));
            },
            (e: unknown) => {
              // An abort rejects the tasks it terminates: that is the partial run, not a failure.
              if (signal?.aborted === true) return;
              fail(new ReplicationFailedError(i, describe(i), 'died', errorData(e)));
            },
          )
          .catch((e: unknown) => fail(e instanceof Error ? e : new Error(String(e)))) // a throwing onResult/onProgress
          .finally(() => {
            open = false;
            port1.close();
            ports.delete(port1);
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
      // Errors not tied to a task (a worker failing while idle) would otherwise crash the process.
      pool.on('error', (e: unknown) => fail(new ReplicationFailedError(-1, 'the pool', 'died', errorData(e))));
      dispatch();
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
    for (const p of ports) p.close(); // a listening port would keep the process alive
  }
}

function errorData(e: unknown): WorkerErrorData {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }), ...(code === undefined ? {} : { code }) };
}

/**
 * Node cannot load a .ts worker by itself, and neither vitest nor the `pitsim`
 * bin (tsx registered through its API) puts tsx in execArgv: add it, as an
 * absolute URL so it resolves whatever the current directory.
 */
function defaultExecArgv(file: string): string[] {
  const inherited = [...process.execArgv];
  if (!/\.[cm]?tsx?$/.test(file)) return inherited;
  const hasTsx = inherited.some((a, i) => /(^|[/\\=])tsx([/\\]|$)/.test(a) && (a.startsWith('--import') || inherited[i - 1] === '--import'));
  if (hasTsx) return inherited;
  return [...inherited, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
