/**
 * Redis connections for the queue backend (ioredis, handed to BullMQ as
 * instances). `--queue redis://host:port` is parsed here; checkReachable
 * answers within the connect timeout (default 3 s) with a clear error rather
 * than retrying forever, and the long-lived clients reconnect with a capped
 * backoff (BullMQ needs maxRetriesPerRequest: null on blocking connections).
 * Every client gets an error listener: ioredis prints unhandled ones itself.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { badUrl, unreachable } from './errors.ts';

/** Default time to establish a connection before giving up (ms). */
export const CONNECT_TIMEOUT_MS = 3000;

export interface RedisTarget {
  /** As given (may hold a password: print redact(url)). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** rediss:// */
  readonly tls: boolean;
}

/** Parses `redis://[[user]:password@]host[:port][/db]` (or rediss://); throws a QueueError (exit 2) otherwise. */
export function parseQueueUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badUrl(url, 'not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw badUrl(url, `the scheme is ${u.protocol.replace(/:$/, '')}, not redis or rediss`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw badUrl(url, 'no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw badUrl(url, `the database ${JSON.stringify(path)} is not a number`);
  if (u.search !== '' || u.hash !== '') throw badUrl(url, 'query strings and fragments are not supported');
  return {
    url,
    host,
    port,
    db: path === '' ? 0 : Number(path),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    tls: u.protocol === 'rediss:',
  };
}

function baseOptions(target: RedisTarget, connectTimeoutMs: number): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: { servername: target.host } } : {}),
    connectTimeout: connectTimeoutMs,
  };
}

/**
 * Connects once, PINGs, disconnects; throws a QueueError (exit 1) naming the
 * cause (refused, no answer in time, unknown host, authentication) when Redis
 * does not answer within `timeoutMs`. Never retries.
 */
export async function checkReachable(target: RedisTarget, timeoutMs: number = CONNECT_TIMEOUT_MS): Promise<void> {
  const client = new Redis({ ...baseOptions(target, timeoutMs), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let lastError: unknown;
  client.on('error', (e: unknown) => {
    lastError = e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${(timeoutMs / 1000).toFixed(1)} s`)), timeoutMs + 250);
    });
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      timeout,
    ]);
  } catch (e) {
    throw unreachable(target.url, describeConnectError(lastError ?? e, target, timeoutMs), lastError ?? e);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

function describeConnectError(e: unknown, target: RedisTarget, timeoutMs: number): string {
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : '';
  const message = e instanceof Error ? e.message : String(e);
  const where = `${target.host}:${target.port}`;
  if (code === 'ECONNREFUSED') return `connection refused (nothing listens on ${where})`;
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timed? ?out|no answer/i.test(message)) return `no answer from ${where} within ${(timeoutMs / 1000).toFixed(1)} s`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `unknown host ${target.host}`;
  if (/NOAUTH|WRONGPASS|invalid password|AUTH/i.test(message)) return `authentication failed (${message})`;
  return message;
}

export interface ClientOptions {
  readonly connectTimeoutMs?: number;
  /** CLIENT SETNAME, visible in CLIENT LIST. */
  readonly name?: string;
  /** Every connection error (they repeat while Redis is down: throttle what you print). */
  onError?(e: Error): void;
  /**
   * Asked before each reconnection attempt (of this client and of the copies
   * BullMQ makes with duplicate()); false ends the client for good, which also
   * fails whatever waits on it (default: always retry).
   */
  retry?(): boolean;
}

/**
 * A long-lived client for BullMQ (Queue, QueueEvents, Worker): reconnects
 * forever with a backoff capped at 2 s, queues commands meanwhile. Whoever
 * watches it decides how long an outage may last.
 */
export function createClient(target: RedisTarget, options: ClientOptions = {}): Redis {
  const client = new Redis({
    ...baseOptions(target, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS),
    ...(options.name === undefined ? {} : { connectionName: options.name }),
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => (options.retry?.() === false ? null : Math.min(200 * times, 2000)),
  });
  client.on('error', (e: Error) => options.onError?.(e));
  return client;
}

/** QUIT, or drop the socket when Redis does not answer within `ms` (at once when not connected). */
export async function closeClient(client: Redis, ms = 1000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([client.quit().then(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } catch {
    // already closed or unreachable: disconnect below
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
