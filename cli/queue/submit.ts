/**
 * The submitter behind `pitsim run --queue redis://host:port`: cuts the run
 * into deterministic segments, enqueues one BullMQ job per segment (job id =
 * run id + segment, so resubmitting adds nothing twice), waits for results
 * with ONE QueueEvents listener (plus a slow poll of the job states, for
 * events missed while connecting and for results already stored), and merges
 * them by replication index (a segment merges once, whichever attempt or
 * worker finished it) into the same results array a local run gives.
 *
 * Resume: a run's jobs stay in Redis until the run is merged whole, so a
 * submitter that stops (Ctrl-C, a crash) and is started again with the same
 * spec, seed and replications reuses every finished segment and only waits
 * for the rest (failed segments are retried once per submission). The jobs
 * are removed after a complete merge.
 *
 * Bounded waits: Redis unreachable -> QueueError within connectTimeoutMs;
 * lost mid-run for lostTimeoutMs -> QueueError; no worker touched the run for
 * idleTimeoutMs -> QueueError naming the number of connected workers. All
 * QueueErrors carry their exit code (1; 2 for a malformed URL).
 */
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReplicationResult } from '../../agents/result.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { EXIT } from '../exit-codes.ts';
import { buildReport, runInfo, specHash, type Executed, type Progress } from '../execute.ts';
import type { ReplicationsOutcome, ReplicationsProgress, RunningReplication } from '../run-replications.ts';
import { VERSION } from '../version.ts';
import { checkReachable, closeClient, createClient, parseQueueUrl, CONNECT_TIMEOUT_MS } from './connection.ts';
import { QueueError, redact, unreachable } from './errors.ts';
import {
  defaultSegmentSize,
  describeSegment,
  jobIdOf,
  nonJsonPath,
  parseSegmentProgress,
  parseSegmentResult,
  planSegments,
  QUEUE_NAME,
  QUEUE_PROTOCOL,
  runIdOf,
  SEGMENT_JOB,
  type Segment,
  type SegmentJobData,
  type SegmentProgress,
} from './protocol.ts';

export const IDLE_TIMEOUT_MS = 120_000;
export const LOST_TIMEOUT_MS = 15_000;
export const POLL_MS = 1000;
/** Attempts per segment job: a dead thread or an OOM is retried, a throwing replication is not (see worker.ts). */
export const JOB_ATTEMPTS = 3;
/**
 * The events stream is trimmed to about this many entries: each completed
 * event carries its job's results, so a long stream would hold them twice.
 * Events trimmed before this submitter read them are caught by the poll.
 */
export const EVENTS_MAX_LEN = 200;

export interface QueueRunOptions {
  /** redis://host:port */
  readonly url: string;
  /** Like runReplications': completed replications, events so far, replications in flight on remote workers. */
  onProgress?(p: ReplicationsProgress): void;
  /** Stop waiting: the replications merged so far come back with partial: true; the jobs stay (resume later). */
  readonly signal?: AbortSignal;
  /** Replications per job (default defaultSegmentSize(replications)); a resumed run must use the same. */
  readonly segmentSize?: number;
  /** Fail when no worker has touched the run for this long, ms (default 120 000). */
  readonly idleTimeoutMs?: number;
  /** Time to connect before failing, ms (default 3000). */
  readonly connectTimeoutMs?: number;
  /** How long the connection may stay lost mid-run before failing, ms (default 15 000). */
  readonly lostTimeoutMs?: number;
  /** Job-state poll interval, ms (default 1000). */
  readonly pollMs?: number;
  /** Keep the run's jobs (and results) in Redis after a complete merge (default false). */
  readonly keepJobs?: boolean;
  /** Status lines for a person: results reused, no worker connected yet, a job stalled. */
  onNotice?(text: string): void;
}

export interface QueueRunStats {
  readonly runId: string;
  readonly segments: number;
  readonly segmentSize: number;
  /** Segments whose results were already in Redis when this submission started (a resumed run). */
  readonly reused: number;
  /** Workers (host:pid) whose results were merged, sorted. */
  readonly workers: readonly string[];
}

export interface QueueRunOutcome extends ReplicationsOutcome {
  readonly stats: QueueRunStats;
}

export async function runViaQueue(spec: ScenarioSpec, options: QueueRunOptions): Promise<QueueRunOutcome> {
  const target = parseQueueUrl(options.url);
  const where = redact(options.url);
  const bad = nonJsonPath(spec);
  if (bad !== null) {
    throw new QueueError('QUEUE_BAD_SPEC', `the scenario spec cannot travel as JSON: ${bad} is not a plain JSON value`, 'this is a bug in the loader (specs are plain data): run without --queue meanwhile', EXIT.internal);
  }
  const hash = specHash(spec);
  const runId = runIdOf(hash, spec, VERSION);
  const segmentSize = options.segmentSize ?? defaultSegmentSize(spec.replications);
  const segments = planSegments(spec.replications, segmentSize);
  const total = spec.replications;
  const results = new Array<ReplicationResult | undefined>(total).fill(undefined);
  const workers = new Set<string>();
  let reused = 0;
  const outcome = (partial: boolean): QueueRunOutcome => ({
    results: results.filter((r): r is ReplicationResult => r !== undefined),
    partial,
    stats: { runId, segments: segments.length, segmentSize, reused, workers: [...workers].sort() },
  });
  const { signal } = options;
  if (signal?.aborted === true) return outcome(true);
  if (segments.length === 0) return outcome(false);

  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  await checkReachable(target, connectTimeoutMs);

  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const lostTimeoutMs = options.lostTimeoutMs ?? LOST_TIMEOUT_MS;
  const notice = (t: string): void => options.onNotice?.(t);
  let downSince: number | null = null;
  const watch = (client: Redis): Redis => {
    client.on('ready', () => (downSince = null));
    client.on('close', () => (downSince ??= Date.now()));
    return client;
  };
  let over = false;
  const retry = (): boolean => !over; // no reconnecting once the run is over (nor in BullMQ's copies of these clients)
  const queueClient = watch(createClient(target, { connectTimeoutMs, name: 'pitsim-submit', retry }));
  const eventsClient = watch(createClient(target, { connectTimeoutMs, name: 'pitsim-submit-events', retry }));
  const queue = new Queue(QUEUE_NAME, { connection: queueClient, streams: { events: { maxLen: EVENTS_MAX_LEN } } });
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsClient });
  queue.on('error', () => {}); // connection errors: the watchdog below decides
  events.on('error', () => {});

  const pending = new Map<string, Segment>(segments.map((s) => [jobIdOf(runId, s), s]));
  const live = new Map<string, SegmentProgress>();
  let merged = 0;
  let mergedEvents = 0;
  let lastActivity = Date.now();
  const touch = (): void => {
    lastActivity = Date.now();
  };

  let settle!: (how: 'done' | 'aborted') => void;
  let reject!: (e: unknown) => void;
  const settled = new Promise<'done' | 'aborted'>((res, rej) => {
    settle = res;
    reject = rej;
  });
  const end = (e: unknown, how: 'done' | 'aborted' = 'done'): void => {
    if (over) return;
    over = true;
    if (e === null) settle(how);
    else reject(e);
  };

  const report = (): void => {
    if (options.onProgress === undefined) return;
    let done = merged;
    let evs = mergedEvents;
    const perWorker: RunningReplication[] = [];
    for (const p of live.values()) {
      done += p.done;
      evs += p.events;
      perWorker.push(...p.running);
    }
    perWorker.sort((a, b) => a.index - b.index);
    options.onProgress({ done, total, events: evs, perWorker });
  };

  /** Merges a segment's results once, whichever attempt or worker produced them. */
  const accept = (jobId: string, value: unknown, fromEarlierSubmission: boolean): void => {
    const seg = pending.get(jobId);
    if (seg === undefined || over) return;
    const parsed = parseSegmentResult(value, seg, hash);
    if (typeof parsed === 'string') {
      end(new QueueError('QUEUE_BAD_RESULT', `job ${jobId} returned an unusable result: ${parsed}`, 'are all workers running the same pitsim version as this submitter? (pitsim --version)', EXIT.internal));
      return;
    }
    pending.delete(jobId);
    live.delete(jobId);
    for (const r of parsed.results) {
      if (results[r.index] !== undefined) continue;
      results[r.index] = r;
      merged++;
      mergedEvents += r.events;
    }
    workers.add(parsed.worker);
    if (fromEarlierSubmission) reused++;
    touch();
    report();
    if (pending.size === 0) end(null);
  };
  const segmentFailed = (jobId: string, reason: string): QueueError => {
    const seg = pending.get(jobId)!;
    return new QueueError(
      'QUEUE_SEGMENT_FAILED',
      `${describeSegment(seg)} of ${spec.name} (seed ${spec.seed}) failed on a worker: ${reason}`,
      `a throwing replication fails on any machine: rerun it locally (pitsim run without --queue) to debug it; submitting the same run again retries failed segments and reuses the finished ones (job ${jobId})`,
      EXIT.internal,
    );
  };

  events.on('active', ({ jobId }) => {
    if (!pending.has(jobId)) return;
    live.delete(jobId); // a new attempt: whatever an earlier (stalled) attempt reported is void
    touch();
  });
  events.on('progress', ({ jobId, data }) => {
    if (!pending.has(jobId)) return;
    const p = parseSegmentProgress(data);
    if (p !== null) live.set(jobId, p);
    touch();
    report();
  });
  events.on('completed', ({ jobId, returnvalue }) => accept(jobId, returnvalue, false));
  events.on('stalled', ({ jobId }) => {
    const seg = pending.get(jobId);
    if (seg === undefined) return;
    live.delete(jobId);
    touch();
    notice(`${describeSegment(seg)} stalled (its worker stopped answering): BullMQ gives it to another worker`);
    report();
  });
  events.on('failed', ({ jobId, failedReason }) => {
    if (!pending.has(jobId)) return;
    touch();
    // 'failed' is also emitted for an attempt that will be retried: only a job in the failed set is final.
    queue.getJobState(jobId).then(
      (state) => {
        if (state === 'failed' && pending.has(jobId)) end(segmentFailed(jobId, failedReason));
      },
      () => {},
    );
  });

  const jobData = (s: Segment): SegmentJobData => ({ protocol: QUEUE_PROTOCOL, pitsimVersion: VERSION, runId, specHash: hash, spec, from: s.from, to: s.to });
  /**
   * Reads the state of every pending segment: merges finished ones, adds the
   * missing. On the first pass (initial) a finished segment counts as reused and
   * a failed one is retried; later, a failed one ends the run.
   */
  const poll = async (initial: boolean): Promise<void> => {
    const toAdd: Segment[] = [];
    const ids = [...pending.keys()];
    for (let i = 0; i < ids.length && !over; i += 64) {
      const chunk = ids.slice(i, i + 64);
      const states = await Promise.all(chunk.map((id) => queue.getJobState(id)));
      for (let k = 0; k < chunk.length && !over; k++) {
        const id = chunk[k]!;
        const seg = pending.get(id);
        if (seg === undefined) continue;
        const state = states[k]!;
        if (state === 'unknown') toAdd.push(seg);
        else if (state === 'completed' || state === 'failed') {
          const job = await queue.getJob(id);
          if (job === undefined) toAdd.push(seg); // removed meanwhile (by an earlier submission's clean-up)
          else if (state === 'completed') accept(id, job.returnvalue, initial);
          else if (initial) {
            notice(`${describeSegment(seg)} failed in an earlier submission (${job.failedReason}): retrying it`);
            await job.retry('failed');
          } else end(segmentFailed(id, job.failedReason));
        }
      }
    }
    if (over || toAdd.length === 0) return;
    await queue.addBulk(
      toAdd.map((s) => ({
        name: SEGMENT_JOB,
        data: jobData(s),
        opts: {
          jobId: jobIdOf(runId, s),
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'fixed', delay: 1000 },
          // Kept for resume; removed after a complete merge. A week at most if nobody comes back.
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  };

  const onAbort = (): void => end(null, 'aborted');
  signal?.addEventListener('abort', onAbort, { once: true });
  let ticker: NodeJS.Timeout | undefined;
  let polling = false;
  try {
    // Each step races `settled` (an abort, a failure); whatever loses may reject later, once the
    // connections are closed: those rejections are expected and dropped.
    const quiet = <T>(p: Promise<T>): Promise<T> => {
      p.catch(() => {});
      return p;
    };
    await Promise.race([quiet(Promise.all([queue.waitUntilReady(), events.waitUntilReady()])), settled]);
    if (!over) {
      await Promise.race([quiet(poll(true)), settled]);
      if (reused > 0) notice(`resumed run ${runId}: ${reused} of ${segments.length} segments already finished in Redis`);
      report();
    }
    if (!over && pending.size > 0) {
      const count = await Promise.race([quiet(queue.getWorkersCount()), settled.then(() => 0)]);
      if (count === 0 && !over) notice(`no pitsim worker is connected to ${where} yet: waiting up to ${Math.round(idleTimeoutMs / 1000)} s for one (pitsim worker --queue ${where})`);
    }
    ticker = setInterval(() => {
      if (over) return;
      const now = Date.now();
      if (downSince !== null && now - downSince > lostTimeoutMs) {
        end(unreachable(options.url, `the connection was lost for more than ${Math.round(lostTimeoutMs / 1000)} s during the run (finished segments stay in Redis: submit again to resume)`));
        return;
      }
      if (now - lastActivity > idleTimeoutMs) {
        queue.getWorkersCount().then(
          (n) =>
            end(
              new QueueError(
                'QUEUE_IDLE',
                `no worker has worked on run ${runId} for ${Math.round(idleTimeoutMs / 1000)} s (${n} worker${n === 1 ? '' : 's'} connected to ${where}; ${total - merged} of ${total} replications not merged)`,
                `start workers with: pitsim worker --queue ${where}; finished segments stay in Redis: submit again to resume`,
                EXIT.internal,
              ),
            ),
          (e: unknown) => end(unreachable(options.url, e instanceof Error ? e.message : String(e), e)),
        );
        return;
      }
      if (polling || downSince !== null) return;
      polling = true;
      poll(false)
        .catch(() => {}) // a poll during a reconnect: the watchdog above decides
        .finally(() => (polling = false));
    }, options.pollMs ?? POLL_MS);
    const how = await settled;
    if (how === 'done' && options.keepJobs !== true) {
      await Promise.race([Promise.all([...segments].map((s) => queue.remove(jobIdOf(runId, s)).catch(() => 0))), sleep(2000)]);
    }
    return outcome(how === 'aborted' && merged < total);
  } finally {
    over = true;
    clearInterval(ticker);
    signal?.removeEventListener('abort', onAbort);
    // With Redis gone, closing politely would wait for it: drop the connections instead.
    const closing = Promise.allSettled([events.close(), queue.close()]);
    if (downSince === null) await Promise.race([closing, sleep(2000)]);
    await Promise.all([closeClient(eventsClient), closeClient(queueClient)]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

export interface QueueExecuteOptions extends Omit<QueueRunOptions, 'onProgress'> {
  readonly scenarioFile: string;
  onProgress?(p: Progress): void;
}

/**
 * executeRun's twin for `pitsim run --queue`: the same Report (buildReport,
 * runInfo; `run.workers` = the distinct remote workers that returned results).
 */
export async function executeViaQueue(spec: ScenarioSpec, options: QueueExecuteOptions): Promise<Executed & { stats: QueueRunStats }> {
  const startedAt = new Date();
  const t0 = performance.now();
  const { scenarioFile, onProgress, ...rest } = options;
  const out = await runViaQueue(spec, { ...rest, ...(onProgress === undefined ? {} : { onProgress: (p) => onProgress({ ...p, wallMs: performance.now() - t0 }) }) });
  const wallMs = performance.now() - t0;
  const report = buildReport(spec, out.results, runInfo(scenarioFile, Math.max(1, out.stats.workers.length), startedAt, wallMs, out.results, out.partial));
  return { report, partial: out.partial, stats: out.stats };
}
