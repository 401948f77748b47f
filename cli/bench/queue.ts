/**
 * Queue benchmark, figures only (nothing asserts a time): replications/s of
 * fi-ee-eprescription through Redis (BullMQ) with one and with two
 * `pitsim worker` processes (one replication at a time each), against the
 * local pool with one and two threads. A throwaway redis-server (127.0.0.1,
 * free port, no persistence) and the workers (each with its long-lived pool)
 * are started before the clock, as long-running workers are; each timed run
 * includes enqueueing, the jobs, the results' trip through Redis and the
 * merge. The local runs include their pool's start-up, as a real run does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../scenarios/load.ts';
import { startRedisServer } from '../queue/local-redis.ts';
import { stopChild } from '../stop-child.ts';
import { defaultSegmentSize } from '../queue/protocol.ts';
import { runViaQueue } from '../queue/submit.ts';
import { runReplications } from '../run-replications.ts';

export interface QueueThroughput {
  /** Worker processes (queue) or threads (local). */
  readonly workers: number;
  readonly replications: number;
  readonly seconds: number;
  readonly perSec: number;
}

export interface QueueBench {
  readonly scenario: string;
  readonly replications: number;
  readonly segmentSize: number;
  readonly segments: number;
  readonly local1: QueueThroughput;
  readonly local2: QueueThroughput;
  readonly queue1: QueueThroughput;
  readonly queue2: QueueThroughput;
  /** queue2.perSec / queue1.perSec. */
  readonly speedup: number;
  /** queue1.seconds / local1.seconds: the queue's cost at one worker (job pool start-ups, Redis round trips). */
  readonly overheadAt1: number;
}

export interface QueueBenchOptions {
  readonly file?: string;
  readonly replications?: number;
  /** Replications per job (default: defaultSegmentSize). */
  readonly segmentSize?: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const PITSIM = fileURLToPath(new URL('../pitsim.js', import.meta.url));

/** Throws when redis-server is not installed or a worker does not start. */
export async function benchQueue(options: QueueBenchOptions = {}): Promise<QueueBench> {
  const file = options.file ?? 'scenarios/fi-ee-eprescription.yaml';
  const replications = options.replications ?? 24;
  const spec = loadScenario(`${root}${file}`, { sets: [`replications=${replications}`] });
  const segmentSize = options.segmentSize ?? defaultSegmentSize(replications);
  const figure = (workers: number, t0: number): QueueThroughput => {
    const seconds = (performance.now() - t0) / 1000;
    return { workers, replications, seconds, perSec: replications / seconds };
  };

  let t0 = performance.now();
  await runReplications(spec, { workers: 1 });
  const local1 = figure(1, t0);
  t0 = performance.now();
  await runReplications(spec, { workers: 2 });
  const local2 = figure(2, t0);

  const redis = await startRedisServer();
  const workers: ChildProcess[] = [];
  try {
    workers.push(await startWorker(redis.url));
    t0 = performance.now();
    const one = await runViaQueue(spec, { url: redis.url, segmentSize });
    const queue1 = figure(1, t0);
    workers.push(await startWorker(redis.url));
    t0 = performance.now();
    const two = await runViaQueue(spec, { url: redis.url, segmentSize });
    const queue2 = figure(2, t0);
    if (one.results.length !== replications || two.results.length !== replications) throw new Error('a queue run came back incomplete');
    return {
      scenario: spec.name,
      replications,
      segmentSize,
      segments: one.stats.segments,
      local1,
      local2,
      queue1,
      queue2,
      speedup: queue2.perSec / queue1.perSec,
      overheadAt1: queue1.seconds / local1.seconds,
    };
  } finally {
    await Promise.all(workers.map((w) => stopChild(w, WORKER_GRACE_MS)));
    await redis.stop();
  }
}

/** A worker finishes its job in flight on SIGTERM; it gets 5 s before SIGKILL. */
const WORKER_GRACE_MS = 5000;

function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [PITSIM, 'worker', '--queue', url, '--concurrency', '1'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise<ChildProcess>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`pitsim worker did not start within 30 s: ${log}`)), 30_000);
    const onData = (b: Buffer): void => {
      log += b.toString();
      if (!log.includes('takes jobs from queue')) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stderr?.off('data', onData);
      resolve(child);
    };
    const onExit = (code: number | null): void => fail(new Error(`pitsim worker exited (${code}): ${log}`));
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  }).then((c) => {
    c.stderr?.resume(); // keep draining its job lines
    return c;
  });
}
