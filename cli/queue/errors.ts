/**
 * Errors of the Redis queue backend, each with a hint a person can act on and
 * the exit code the command returns for it: 2 for a malformed --queue URL
 * (usage: nothing was run), 1 for everything that happens at run time (Redis
 * unreachable or lost, a segment that failed for good, no worker in sight),
 * like a crashed local worker. explainQueueError prints one and returns it.
 */
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';

export type QueueErrorCode = 'QUEUE_BAD_URL' | 'QUEUE_UNREACHABLE' | 'QUEUE_SEGMENT_FAILED' | 'QUEUE_IDLE' | 'QUEUE_BAD_RESULT' | 'QUEUE_BAD_SPEC';

export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    readonly hint: string,
    /** The exit code a command returns for it. */
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QueueError';
  }
}

/** `--queue` is not a redis:// URL. */
export function badUrl(url: string, why: string): QueueError {
  return new QueueError('QUEUE_BAD_URL', `--queue ${JSON.stringify(url)} is not a Redis URL: ${why}`, 'write it as redis://host:port (e.g. redis://127.0.0.1:6379), optionally redis://:password@host:port/db', EXIT.invalid);
}

/** Redis did not answer within the connect timeout, refused, or was lost for too long during a run. */
export function unreachable(url: string, why: string, cause?: unknown): QueueError {
  return new QueueError(
    'QUEUE_UNREACHABLE',
    `cannot reach Redis at ${redact(url)}: ${why}`,
    "start one (Debian: apt-get install redis-server; then redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no), or check the host, port and password in --queue",
    EXIT.internal,
    cause === undefined ? undefined : { cause },
  );
}

/** The password never reaches a terminal or a log. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Prints a QueueError (message and hint) and returns its exit code; null for any other error. */
export function explainQueueError(err: unknown, io: Io): number | null {
  if (!(err instanceof QueueError)) return null;
  io.err(`pitsim: ${err.message}\n  hint: ${err.hint}\n`);
  return err.exitCode;
}
