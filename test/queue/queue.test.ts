// Replications through Redis (BullMQ): a real redis-server on 127.0.0.1 and a
// free port, two `pitsim worker` child processes; the merged results (and the
// Report outside `run`) are byte-identical to a local run; progress from the
// remote workers arrives; a tampered spec is refused; a stopped submitter
// resumes and reuses what finished; a worker killed mid-job loses nothing;
// Redis down or a malformed URL is a clear error, not a hang.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicationResult } from '../../agents/result.ts';
import { buildReport } from '../../cli/execute.ts';
import { runReplications, type ReplicationsProgress } from '../../cli/run-replications.ts';
import { parseQueueUrl } from '../../cli/queue/connection.ts';
import { QueueError } from '../../cli/queue/errors.ts';
import { freePort, startRedisServer, type LocalRedis } from '../../cli/queue/local-redis.ts';
import { defaultSegmentSize, jobIdOf, nonJsonPath, parseSegmentResult, planSegments, QUEUE_NAME, QUEUE_PROTOCOL } from '../../cli/queue/protocol.ts';
import { runViaQueue } from '../../cli/queue/submit.ts';
import { startQueueWorker } from '../../cli/queue/worker.ts';
import { VERSION } from '../../cli/version.ts';
import type { RunInfo } from '../../reports/report.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { doneCounts, doneCountsOf, redisServer, skipRedis, spawnPitsim, startWorker, type WorkerProcess } from './helpers.ts';

const load = (seed: number): ScenarioSpec => loadScenario('scenarios/fi-ee-eprescription.yaml', { sets: ['replications=6', 'population[0].count=300', `seed=${seed}`] });
const local = async (spec: ScenarioSpec): Promise<string> => JSON.stringify((await runReplications(spec, { workers: 2 })).results);
const RUN: RunInfo = { scenarioFile: 'x', workers: 1, startedAt: '', wallMs: 0, events: 0, eventsPerSec: 0, partial: false, replicationsDone: 0 };
const reportOutsideRun = (spec: ScenarioSpec, results: readonly ReplicationResult[]): string => JSON.stringify({ ...buildReport(spec, results, RUN), run: null });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('queue protocol', () => {
  it('cuts a run into deterministic segments with colon-free job ids', () => {
    expect(planSegments(6, 1)).toEqual([0, 1, 2, 3, 4, 5].map((i) => ({ from: i, to: i + 1 })));
    expect(planSegments(7, 3)).toEqual([
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 7 },
    ]);
    expect([6, 100, 10_000].map(defaultSegmentSize)).toEqual([1, 2, 25]);
    expect(jobIdOf('abc-s1-r6-v0.1.0', { from: 3, to: 6 })).toBe('abc-s1-r6-v0.1.0@3-6');
    expect(jobIdOf('abc-s1-r6-v0.1.0', { from: 3, to: 6 })).not.toContain(':');
  });

  it('parses redis:// URLs and rejects anything else (exit 2)', () => {
    expect(parseQueueUrl('redis://:s3cret@127.0.0.1:6390/2')).toMatchObject({ host: '127.0.0.1', port: 6390, db: 2, password: 's3cret', tls: false });
    expect(parseQueueUrl('redis://localhost')).toMatchObject({ host: 'localhost', port: 6379, db: 0 });
    for (const bad of ['http://127.0.0.1:6379', 'nonsense', 'redis://127.0.0.1:6379/x']) {
      let err: unknown;
      try {
        parseQueueUrl(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QueueError);
      expect((err as QueueError).exitCode).toBe(2);
      expect((err as QueueError).message).toContain('is not a Redis URL');
    }
  });

  it('accepts a result only for its own segment and spec', () => {
    const seg = { from: 2, to: 4 };
    const ok = { protocol: QUEUE_PROTOCOL, worker: 'w', specHash: 'h', from: 2, to: 4, results: [{ index: 2 }, { index: 3 }] };
    expect(parseSegmentResult(ok, seg, 'h')).toMatchObject({ worker: 'w', from: 2, to: 4 });
    expect(parseSegmentResult({ ...ok, specHash: 'other' }, seg, 'h')).toContain('expected h');
    expect(parseSegmentResult({ ...ok, results: [{ index: 3 }, { index: 2 }] }, seg, 'h')).toBe('result 0 is not replication 2');
    expect(parseSegmentResult(null, seg, 'h')).toContain('null');
  });

  it('finds values that would not survive JSON', () => {
    expect(nonJsonPath(load(1))).toBeNull();
    expect(nonJsonPath({ a: [1, { b: Infinity }] })).toBe('spec.a[1].b');
    expect(nonJsonPath({ m: new Map() })).toBe('spec.m');
  });
});

describe('queue: Redis down or a bad URL', () => {
  it('the submitter fails fast with a clear error (exit code 1), no hang', async () => {
    const port = await freePort(); // nothing listens there
    const e = await rejection(runViaQueue(load(1), { url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 2000 }));
    expect(e).toBeInstanceOf(QueueError);
    const q = e as QueueError;
    expect(q.code).toBe('QUEUE_UNREACHABLE');
    expect(q.exitCode).toBe(1);
    expect(q.message).toBe(`cannot reach Redis at redis://127.0.0.1:${port}: connection refused (nothing listens on 127.0.0.1:${port})`);
    expect(q.hint).toContain('redis-server');
  }, 10_000);

  it('pitsim worker exits 1 with the same message when Redis is down, 2 for a malformed --queue', async () => {
    const port = await freePort();
    const down = spawnPitsim(['worker', '--queue', `redis://127.0.0.1:${port}`]);
    const bad = spawnPitsim(['worker', '--queue', 'http://127.0.0.1:6379']);
    expect(await down.exited).toBe(1);
    expect(down.lines).toContain(`pitsim: cannot reach Redis at redis://127.0.0.1:${port}: connection refused (nothing listens on 127.0.0.1:${port})`);
    expect(down.lines.some((l) => l.startsWith('  hint: start one'))).toBe(true);
    expect(await bad.exited).toBe(2);
    expect(bad.lines[0]).toBe('pitsim: --queue "http://127.0.0.1:6379" is not a Redis URL: the scheme is http, not redis or rediss');
  }, 20_000);
});

describe.skipIf(skipRedis)('queue: through Redis with two pitsim worker processes', () => {
  let redis: LocalRedis;
  let a: WorkerProcess;
  let b: WorkerProcess;

  beforeAll(async () => {
    if (redisServer === null) throw new Error('redis-server is not installed: CI must install it (apt-get install -y redis-server)');
    redis = await startRedisServer();
    [a, b] = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
  }, 40_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  }, 20_000);

  it('merges results byte-identical to a local run (and the same Report outside run), with progress from the workers', async () => {
    const spec = load(2019);
    const seen: ReplicationsProgress[] = [];
    const out = await runViaQueue(spec, { url: redis.url, onProgress: (p) => seen.push(p) });
    const expected = await local(spec);
    expect(out.partial).toBe(false);
    expect(out.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(JSON.stringify(out.results)).toBe(expected);
    expect(reportOutsideRun(spec, out.results)).toBe(reportOutsideRun(spec, JSON.parse(expected) as ReplicationResult[]));
    expect(out.stats).toMatchObject({ segments: 6, segmentSize: 1, reused: 0 });
    expect(out.stats.workers).toHaveLength(2); // both took jobs
    const last = seen[seen.length - 1]!;
    expect(last).toEqual({ done: 6, total: 6, events: out.results.reduce((s, r) => s + r.events, 0), perWorker: [] });

    // Segments of 3: the workers' job.updateProgress (one replication of a segment done) reaches onProgress.
    const seen3: ReplicationsProgress[] = [];
    const out3 = await runViaQueue(spec, { url: redis.url, segmentSize: 3, onProgress: (p) => seen3.push(p) });
    expect(JSON.stringify(out3.results)).toBe(expected);
    expect(seen3.some((p) => p.done % 3 !== 0)).toBe(true);
    // Every segment ran exactly once across the two workers.
    const counts = await doneCountsOf([a, b], out.stats.runId, 8);
    expect([...counts.values()]).toEqual(Array.from({ length: 8 }, () => 1));
  }, 40_000);

  it('a worker refuses a job whose spec does not match its hash', async () => {
    const spec = load(7);
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection: client });
    try {
      await queue.add('segment', { protocol: QUEUE_PROTOCOL, pitsimVersion: VERSION, runId: 'tampered', specHash: '0'.repeat(32), spec, from: 0, to: 1 }, { jobId: 'tampered@0-1', attempts: 3 });
      let state = '';
      for (let i = 0; i < 100 && state !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await queue.getJobState('tampered@0-1');
      }
      expect(state).toBe('failed');
      const job = await queue.getJob('tampered@0-1');
      expect(job?.failedReason).toMatch(/^job tampered@0-1: its spec hashes to [0-9a-f]{32}, not 0{32} as submitted \(changed in transit\); refusing it$/);
      expect(job?.attemptsMade).toBe(1); // refused for good, not retried
      await queue.remove('tampered@0-1');
    } finally {
      await queue.close();
      await client.quit();
    }
  }, 20_000);

  it('resume: a submitter stopped after some results and submitted again reuses them; each segment runs once', async () => {
    // Heavier replications than elsewhere, so that the run is still going when the submitter stops.
    const spec = loadScenario('scenarios/fi-ee-eprescription.yaml', { sets: ['replications=8', 'population[0].count=2000', 'seed=11'] });
    const from = [{ lines: a.lines, from: a.lines.length }, { lines: b.lines, from: b.lines.length }];
    const stop = new AbortController();
    const firstRun = runViaQueue(spec, { url: redis.url, signal: stop.signal });
    firstRun.catch(() => {}); // awaited below; not an unhandled rejection meanwhile if it fails
    // Stop the submitter once the workers have finished two segments (and their results are in Redis).
    const runId = (await Promise.all([a.waitFor(/^job \S+ started/, 20_000, from[0]!.from), b.waitFor(/^job \S+ started/, 20_000, from[1]!.from)]))[0].split(' ')[1]!.split('@')[0]!;
    await doneCountsOf(from, runId, 2, 20_000, 0);
    stop.abort();
    const first = await firstRun;
    expect(first.stats.runId).toBe(runId);
    expect(first.partial).toBe(true);
    expect(first.results.length).toBeLessThan(8);
    // The workers go on with the queued segments meanwhile; a new submission picks everything up.
    const notices: string[] = [];
    const second = await runViaQueue(spec, { url: redis.url, onNotice: (t) => notices.push(t) });
    expect(second.partial).toBe(false);
    expect(second.stats.runId).toBe(first.stats.runId);
    expect(second.stats.reused).toBeGreaterThanOrEqual(Math.max(2, first.results.length));
    expect(notices.some((t) => t.startsWith(`resumed run ${first.stats.runId}: ${second.stats.reused} of 8 segments already finished`))).toBe(true);
    expect(JSON.stringify(second.results)).toBe(await local(spec));
    const counts = await doneCountsOf(from, runId, 8);
    expect(counts.size).toBe(8);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 40_000);

  it('a replication that throws fails its segment for good: a clear error naming it and its seed, no retries', async () => {
    const spec = load(5);
    const url = `${redis.url}/1`; // a database of its own: the two worker processes do not see it
    const lines: string[] = [];
    const w = await startQueueWorker({ url, concurrency: 1, onLog: (l) => lines.push(l), workerFile: new URL('./throwing-worker.ts', import.meta.url) });
    try {
      const e = await rejection(runViaQueue(spec, { url }));
      expect(e).toBeInstanceOf(QueueError);
      expect((e as QueueError).code).toBe('QUEUE_SEGMENT_FAILED');
      expect((e as QueueError).exitCode).toBe(1);
      expect((e as QueueError).message).toBe(
        'replication 1 of fi-ee-eprescription (seed 5) failed on a worker: replication 1 of fi-ee-eprescription (seed 5, stream 5/rep:1) failed: it threw: test fault: replication 1 threw',
      );
      expect(lines.filter((l) => /^job \S+@1-2 started/.test(l))).toHaveLength(1);
    } finally {
      await w.close();
    }
  }, 20_000);

  it('no worker on the queue: a notice at once, then a clear error after the idle timeout', async () => {
    const empty = await startRedisServer(); // BullMQ counts workers server-wide: a server of its own
    try {
      const notices: string[] = [];
      const e = await rejection(runViaQueue(load(3), { url: empty.url, idleTimeoutMs: 1500, onNotice: (t) => notices.push(t) }));
      expect(notices).toEqual([`no pitsim worker is connected to ${empty.url} yet: waiting up to 2 s for one (pitsim worker --queue ${empty.url})`]);
      expect((e as QueueError).code).toBe('QUEUE_IDLE');
      expect((e as QueueError).exitCode).toBe(1);
      expect((e as QueueError).message).toMatch(/^no worker has worked on run \S+ for 2 s \(0 workers connected to redis:\/\/127\.0\.0\.1:\d+; 6 of 6 replications not merged\)$/);
      expect((e as QueueError).hint).toBe(`start workers with: pitsim worker --queue ${empty.url}; finished segments stay in Redis: submit again to resume`);
    } finally {
      await empty.stop();
    }
  }, 20_000);

  it('a worker killed mid-job (SIGKILL): the job is retried on the other worker, the result merges once; in-flight progress arrives', async () => {
    // Replications of ~0.15 s, so the kill lands mid-job; > 25 000 events each, so in-flight progress is posted.
    const spec = loadScenario('scenarios/fi-ee-eprescription.yaml', { sets: ['replications=6', 'population[0].count=2000', 'seed=23'] });
    const fromA = a.lines.length;
    const fromB = b.lines.length;
    const notices: string[] = [];
    const seen: ReplicationsProgress[] = [];
    const run = runViaQueue(spec, { url: redis.url, onNotice: (t) => notices.push(t), onProgress: (p) => seen.push(p) });
    run.catch(() => {}); // awaited below
    const started = await a.waitFor(/^job \S+ started/, 20_000, fromA);
    a.proc.kill('SIGKILL');
    const jobId = /^job (\S+) started/.exec(started)![1]!;
    const out = await run;
    expect(await a.exited).toBe(null); // killed, never answered
    expect(JSON.stringify(out.results)).toBe(await local(spec));
    expect(out.stats.workers).toEqual([out.stats.workers.find((w) => w.endsWith(`:${b.proc.pid}`))]);
    // The killed job stalled, went back to the queue and ran on b, once.
    expect(b.lines.slice(fromB)).toContainEqual(expect.stringMatching(new RegExp(`^job ${jobId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} started: .*attempt 2$`)));
    const counts = await doneCountsOf([{ lines: b.lines, from: fromB }], out.stats.runId, 6);
    expect([...counts.entries()].sort()).toEqual(planSegments(6, 1).map((s) => [jobIdOf(out.stats.runId, s), 1]).sort());
    expect(doneCounts(a.lines.slice(fromA), out.stats.runId).size).toBe(0);
    expect(notices.some((t) => t.includes('stalled'))).toBe(true);
    // Replications in flight on the remote worker reached onProgress (what the dashboard draws).
    expect(seen.some((p) => (p.perWorker ?? []).some((r) => r.events > 0 && r.simTimeMs > 0))).toBe(true);
  }, 45_000);
});
