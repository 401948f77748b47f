/**
 * A throwaway redis-server for tests and benchmarks: bound to 127.0.0.1 on a
 * free port, persistence off (`--save '' --appendonly no`), its working
 * directory a fresh temp folder, stopped (and the folder removed) by stop().
 * redis-server has no `--port 0`, so a port is found by binding a server to
 * port 0 and closing it (retried if another process takes it meanwhile).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stopChild } from '../stop-child.ts';

export interface LocalRedis {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The redis-server binary on PATH (or /usr/bin, /usr/sbin), or null. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = [...(env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, 'redis-server');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A Redis without persistence stops at once on SIGTERM; 2 s is ample before SIGKILL. */
const REDIS_GRACE_MS = 2000;

export interface StartRedisOptions {
  /** Default: findRedisServer(). */
  readonly binary?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Time to wait for "Ready to accept connections" (default 10 s). */
  readonly timeoutMs?: number;
}

export async function startRedisServer(options: StartRedisOptions = {}): Promise<LocalRedis> {
  const binary = options.binary ?? findRedisServer();
  if (binary === null) throw new Error("redis-server not found on PATH: install it (Debian: apt-get install redis-server)");
  let lastError: Error | null = null;
  for (let attempt = 0; attempt < (options.port === undefined ? 3 : 1); attempt++) {
    const port = options.port ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-redis-'));
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'notice'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await ready(child, options.timeoutMs ?? 10_000);
    } catch (e) {
      lastError = e instanceof Error ? e : new Error(String(e));
      await stopChild(child, REDIS_GRACE_MS);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    child.stdout?.resume(); // keep draining its log so it never blocks on a full pipe
    child.stderr?.resume();
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid: child.pid ?? -1,
      stop: async () => {
        await stopChild(child, REDIS_GRACE_MS);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError ?? new Error('redis-server did not start');
}

function ready(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => finish(new Error(`redis-server not ready after ${timeoutMs} ms: ${log.slice(-500)}`)), timeoutMs);
    const onData = (b: Buffer): void => {
      log += b.toString();
      if (log.includes('Ready to accept connections')) finish(null);
      else if (/Address already in use|Could not create server TCP listening socket/.test(log)) finish(new Error(`redis-server could not listen: ${log.slice(-300)}`));
    };
    const onExit = (code: number | null): void => finish(new Error(`redis-server exited (${code}) before it was ready: ${log.slice(-500)}`));
    const finish = (e: Error | null): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (e === null) resolve();
      else reject(e);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (e) => finish(e));
  });
}
