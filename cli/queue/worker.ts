/**
 * The queue worker behind `pitsim worker`: a BullMQ Worker that takes segment
 * jobs from Redis, checks each (protocol, pitsim version, specHash(spec) ==
 * the hash it came with), runs its replications on the process's one
 * long-lived piscina pool (`concurrency` threads, shared by up to
 * `concurrency` jobs at once), forwards progress with job.updateProgress (at
 * most every PROGRESS_MS) and returns the ReplicationResults.
 *
 * Faults: a job whose replication throws fails for good (UnrecoverableError:
 * it is a pure function, it would throw anywhere); anything else (a dead
 * thread) is retried by BullMQ. A worker killed mid-job stops renewing its
 * lock: after `lockDurationMs` another worker's stalled check (every
 * `stalledIntervalMs`) puts the job back and someone else runs it.
 */
import { hostname, availableParallelism } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { ReplicationFailedError } from '../../engine/pool.ts';
import { specHash } from '../execute.ts';
import { VERSION } from '../version.ts';
import { checkReachable, closeClient, createClient, parseQueueUrl, CONNECT_TIMEOUT_MS } from './connection.ts';
import { redact, unreachable } from './errors.ts';
import { describeSegment, parseSegmentJobData, QUEUE_NAME, QUEUE_PROTOCOL, type SegmentJobResult, type SegmentProgress } from './protocol.ts';
import { ReplicationPool } from './replication-pool.ts';
import { runSegment } from './run-segment.ts';

/** BullMQ's defaults: a killed worker's job is retried after at most ~lock + interval. */
export const LOCK_DURATION_MS = 30_000;
export const STALLED_INTERVAL_MS = 30_000;
/** How often a job posts progress (at most). */
export const PROGRESS_MS = 250;

export interface QueueWorkerOptions {
  /** redis://host:port */
  readonly url: string;
  /** Replications at once on this machine (pool threads, and jobs taken at once); default os.availableParallelism(). */
  readonly concurrency?: number;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly connectTimeoutMs?: number;
  /** Shown in results and logs; default `host:pid`. */
  readonly name?: string;
  /** One line per event worth telling a person (no trailing newline). */
  onLog?(line: string): void;
  /** Tests only: the replication worker module. */
  readonly workerFile?: string | URL;
}

export interface QueueWorker {
  readonly name: string;
  readonly concurrency: number;
  /** Segments this worker finished. */
  processed(): number;
  /**
   * Stop taking jobs. Graceful: wait for the jobs in hand. Forced: abort them
   * (BullMQ retries them on another worker). Then the pool is destroyed.
   */
  close(force?: boolean): Promise<void>;
}

/** Connects (a QueueError when Redis does not answer in time) and starts taking jobs. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const target = parseQueueUrl(options.url);
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  await checkReachable(target, connectTimeoutMs);
  const log = (line: string): void => options.onLog?.(line);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const concurrency = options.concurrency ?? availableParallelism();
  // One pool for the life of the process: its start-up is paid once, not per job.
  const pool = new ReplicationPool({ threads: concurrency, ...(options.workerFile === undefined ? {} : { workerFile: options.workerFile }) });
  const active = new Map<string, AbortController>();
  let processed = 0;
  let down = false;
  const connectionLost = (e: Error): void => {
    if (down) return;
    down = true;
    log(`lost the connection to Redis at ${redact(options.url)} (${e.message}); retrying`);
  };
  let giveUp = false;
  const client = createClient(target, { connectTimeoutMs, name: `pitsim-worker:${name}`, onError: connectionLost, retry: () => !giveUp });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log(`reconnected to Redis at ${redact(options.url)}`);
  });

  const processor = async (job: Job<unknown, SegmentJobResult>): Promise<SegmentJobResult> => {
    const id = job.id ?? '?';
    const data = parseSegmentJobData(job.data);
    if (typeof data === 'string') throw new UnrecoverableError(`job ${id}: ${data}`);
    if (data.pitsimVersion !== VERSION) throw new UnrecoverableError(`job ${id} was submitted by pitsim ${data.pitsimVersion}, this worker runs ${VERSION}: results would differ; run workers of the submitter's version`);
    const got = specHash(data.spec);
    if (got !== data.specHash) throw new UnrecoverableError(`job ${id}: its spec hashes to ${got}, not ${data.specHash} as submitted (changed in transit); refusing it`);
    const t0 = performance.now();
    log(`job ${id} started: ${describeSegment(data)} of ${data.spec.name} (seed ${data.spec.seed}), attempt ${job.attemptsStarted}`);
    const abort = new AbortController();
    active.set(id, abort);
    // At most one update per PROGRESS_MS: the first at once, then the latest at the end of each period.
    let latest: SegmentProgress | null = null;
    let timer: NodeJS.Timeout | undefined;
    let sentAt = -Infinity;
    const flush = (): void => {
      timer = undefined;
      if (latest === null) return;
      const p = latest;
      latest = null;
      sentAt = performance.now();
      job.updateProgress({ ...p, running: [...p.running] }).catch(() => {}); // progress is best effort (a lost lock, a closing connection)
    };
    try {
      const results = await runSegment(pool, data.spec, data.from, data.to, {
        signal: abort.signal,
        onProgress: (p) => {
          latest = p;
          if (timer !== undefined) return;
          const wait = sentAt + PROGRESS_MS - performance.now();
          if (wait <= 0) flush();
          else timer = setTimeout(flush, wait);
        },
      });
      processed++;
      log(`job ${id} done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      return { protocol: QUEUE_PROTOCOL, worker: name, specHash: data.specHash, from: data.from, to: data.to, results };
    } catch (e) {
      // A replication that throws is a pure function failing: it would fail on any worker.
      if (e instanceof ReplicationFailedError && e.kind === 'threw') throw new UnrecoverableError(e.message);
      throw e;
    } finally {
      clearTimeout(timer);
      active.delete(id);
    }
  };

  const inHand = new Set<Promise<SegmentJobResult>>();
  const tracked = (job: Job<unknown, SegmentJobResult>): Promise<SegmentJobResult> => {
    const p = processor(job);
    inHand.add(p);
    p.finally(() => inHand.delete(p)).catch(() => {});
    return p;
  };
  const worker = new Worker<unknown, SegmentJobResult>(QUEUE_NAME, tracked, {
    connection: client,
    concurrency,
    name,
    lockDuration: options.lockDurationMs ?? LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? STALLED_INTERVAL_MS,
    // A job may stall twice (two workers killed under it) before it fails for good.
    maxStalledCount: 2,
    autorun: true,
  });
  worker.on('error', (e: Error) => (isConnectionError(e) ? connectionLost(e) : log(`error: ${e.message}`)));
  worker.on('failed', (job: Job | undefined, e: Error) => log(`job ${job?.id ?? '?'} failed: ${e.message}`));
  worker.on('stalled', (jobId: string) => log(`job ${jobId} stalled (its worker stopped renewing the lock): back in the queue`));
  try {
    await worker.waitUntilReady();
  } catch (e) {
    await Promise.allSettled([worker.close(true), closeClient(client), pool.destroy()]);
    throw unreachable(options.url, e instanceof Error ? e.message : String(e), e);
  }

  let closing: Promise<void> | null = null;
  let finished: Promise<void> | null = null;
  return {
    name,
    concurrency,
    processed: () => processed,
    close: async (force = false) => {
      if (force) for (const a of active.values()) a.abort();
      // BullMQ's graceful close waits for the jobs in hand, then for Redis to store their results;
      // with Redis gone that never ends. So: Redis down -> forced close and no more reconnecting
      // (the jobs in hand stall and are retried elsewhere); Redis up -> graceful, but once the jobs
      // are done Redis gets CLOSE_GRACE_MS, then the connections are dropped.
      const hard = force || client.status !== 'ready';
      if (hard) giveUp = true;
      closing ??= worker.close(hard).catch(() => {});
      const settledJobs = hard ? Promise.resolve() : Promise.allSettled([...inHand]).then(() => undefined);
      const inTime = await Promise.race([closing.then(() => true), settledJobs.then(() => sleep(CLOSE_GRACE_MS)).then(() => false)]);
      if (!inTime || hard) {
        giveUp = true; // BullMQ's own connections (copies of ours) stop reconnecting too
        client.disconnect();
      }
      finished ??= Promise.all([closeClient(client), pool.destroy()]).then(() => undefined);
      await finished;
    },
  };
}

/** How long a closing worker waits for Redis once its jobs are done. */
export const CLOSE_GRACE_MS = 5000;

function isConnectionError(e: Error): boolean {
  const code = 'code' in e && typeof e.code === 'string' ? e.code : '';
  return /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code) || /Connection is closed|connect ETIMEDOUT|Stream isn't writeable/i.test(e.message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
