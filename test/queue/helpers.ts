// Helpers for the Redis queue tests: whether redis-server is here (and whether
// its absence is a skip or, in CI, a failure), `pitsim worker` child processes
// whose stderr lines are collected and awaited, and the local reference run.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findRedisServer } from '../../cli/queue/local-redis.ts';
import { stopChild } from '../../cli/stop-child.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const PITSIM = fileURLToPath(new URL('../../cli/pitsim.js', import.meta.url));

export const redisServer = findRedisServer();
export const inCi = (process.env['CI'] ?? '') !== '' && process.env['CI'] !== 'false' && process.env['CI'] !== '0';
/** Skip only on a developer machine without redis-server; in CI its absence fails the suite. */
export const skipRedis = redisServer === null && !inCi;
if (skipRedis) {
  console.warn('test/queue: redis-server not found on PATH; skipping the Redis queue tests (Debian: apt-get install redis-server). In CI (CI set) this is a failure.');
}

/** Short locks so a killed worker's job is retried within seconds. */
export const TEST_WORKER_FLAGS = ['--concurrency', '1', '--lock-duration', '2000', '--stalled-interval', '1000'];

export interface WorkerProcess {
  readonly proc: ChildProcess;
  /** Every stderr line so far, without the `pitsim worker: ` prefix. */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  /** Resolves with the first line (from `from` on) matching, or rejects after ms. */
  waitFor(re: RegExp, ms?: number, from?: number): Promise<string>;
  /** SIGTERM (graceful) then SIGKILL after 5 s; resolves when it has exited. */
  stop(): Promise<void>;
}

export function spawnPitsim(args: readonly string[]): WorkerProcess {
  const proc = spawn(process.execPath, [PITSIM, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buf = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, nl).replace(/^pitsim worker: /, ''));
      buf = buf.slice(nl + 1);
    }
    for (const w of waiters) w();
  });
  proc.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, ms = 20_000, from = 0): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = lines.slice(from).find((l) => re.test(l));
        if (hit === undefined) return;
        done();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no line matching ${re} within ${ms} ms; got:\n${lines.join('\n')}`));
      }, ms);
      const onExit = (): void => {
        setImmediate(() => {
          check();
          if (waiters.has(check)) {
            done();
            reject(new Error(`pitsim exited (${proc.exitCode}) before a line matching ${re}; got:\n${lines.join('\n')}`));
          }
        });
      };
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
        proc.off('exit', onExit);
      };
      waiters.add(check);
      proc.once('exit', onExit);
      check();
    });
  const stop = (): Promise<void> => stopChild(proc, 5000);
  return { proc, lines, exited, waitFor, stop };
}

/** A `pitsim worker` on the queue, resolved once it takes jobs (a clear error if `worker` is not registered). */
export async function startWorker(url: string): Promise<WorkerProcess> {
  const w = spawnPitsim(['worker', '--queue', url, ...TEST_WORKER_FLAGS]);
  try {
    await w.waitFor(/takes jobs from queue/, 20_000);
  } catch (e) {
    await w.stop();
    if (w.lines.some((l) => /unknown command 'worker'/.test(l))) throw new Error('cli/main.ts does not register `pitsim worker` yet: see the snippet at the top of cli/commands/worker.ts');
    throw e;
  }
  return w;
}

/** `job <id> done` lines of one run, by job id. */
export function doneCounts(lines: readonly string[], runId: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    const m = /^job (\S+) done/.exec(l);
    if (m === null || !m[1]!.startsWith(`${runId}@`)) continue;
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + 1);
  }
  return out;
}

/**
 * doneCounts over some workers' lines once `jobs` distinct jobs of the run have
 * logged `done` (a worker's stderr can arrive after its result reached Redis).
 */
export async function doneCountsOf(workers: readonly { lines: string[]; from?: number }[], runId: string, jobs: number, ms = 5000, settleMs = 100): Promise<Map<string, number>> {
  const read = (): Map<string, number> => doneCounts(workers.flatMap((w) => w.lines.slice(w.from ?? 0)), runId);
  const deadline = Date.now() + ms;
  while (read().size < jobs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs)); // a duplicate, if any, would show up too
  return read();
}
