/**
 * Parallel benchmarks, figures only (nothing asserts a time): replications/s
 * of fi-ee-eprescription in-thread; on warm pools with 1 and with 2 workers
 * (threads started and their JIT warmed on replications outside the measured
 * set), timed in alternating rounds, as the steady rate of a long run (the
 * rate the target is about) and as whole rounds; end to end with 1 and 2
 * workers (a fresh pool, start-up and warm-up included, as one short `pitsim
 * run` sees it); the pool's start-up alone; and the peak RSS of one
 * eu-summer-peak replication at 1x or 10x population, in a fresh process.
 * Every pool here fits V8's GC to its worker count as runReplications does
 * (gc-helpers.ts).
 */
import { fileURLToPath } from 'node:url';
import { TaskPool } from '../../engine/pool.ts';
import { runReplication } from '../../agents/replication.ts';
import type { ReplicationTask } from '../../agents/replication-worker.ts';
import type { ReplicationResult } from '../../agents/result.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { fitGcToPool, REPLICATION_RESOURCE_LIMITS } from '../gc-helpers.ts';
import { repoUrl, runModuleInChild } from '../module-child.ts';
import { REPLICATION_WORKER, runReplications } from '../run-replications.ts';

export interface ThroughputFigure {
  replications: number;
  seconds: number;
  perSec: number;
  /** CPU time of this process, all threads: ~flat across worker counts when the work parallelises; wall time also depends on idle cores. */
  cpuSeconds: number;
}

export interface ParallelBench {
  scenario: string;
  /** The same replications in a loop on this thread (no pool). */
  inThread: ThroughputFigure;
  /** Warm pools in steady state: replications completed per second while every thread of the pool was busy (see timeRound). */
  warm1: ThroughputFigure;
  warm2: ThroughputFigure;
  /** warm2.perSec / warm1.perSec over all rounds: the target (>= 1.85x) is about this rate. */
  speedup: number;
  /** The same ratio round by round: how much the host moved it. */
  roundSpeedups: number[];
  /** The same rounds timed whole, from the first task sent to the last result: each round's drain (a thread idle while the other finishes) included. */
  rounds1: ThroughputFigure;
  rounds2: ThroughputFigure;
  /** rounds2.perSec / rounds1.perSec. */
  roundsSpeedup: number;
  /** Fresh pools, start-up and warm-up included (runReplications, as `pitsim run` does). */
  workers1: ThroughputFigure;
  workers2: ThroughputFigure;
  /** workers2.perSec / workers1.perSec. */
  endToEndSpeedup: number;
  /** One near-empty replication on a fresh 1-worker pool: thread start, tsx, module load. */
  poolStartSeconds: number;
}

export interface PeakRss {
  scale: 1 | 10;
  patients: number;
  events: number;
  seconds: number;
  /** RSS after loading modules and the scenario, before the replication. */
  baseRssMb: number;
  /** process.resourceUsage().maxRSS of the child at the end. */
  peakRssMb: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
interface Mark {
  wall: number;
  cpu: NodeJS.CpuUsage;
}
const mark = (): Mark => ({ wall: performance.now(), cpu: process.cpuUsage() });
function figure(replications: number, from: Mark): ThroughputFigure {
  const seconds = (performance.now() - from.wall) / 1000;
  const cpu = process.cpuUsage(from.cpu);
  return { replications, seconds, perSec: replications / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** One round on one pool: the whole round, and its steady window. */
interface RoundTiming {
  seconds: number;
  cpuSeconds: number;
  steadyReplications: number;
  steadySeconds: number;
}

/**
 * A round of `n` replications on a pool of `threads`, all queued at once.
 * Every thread is busy from the start until the queue runs dry: the last task
 * starts at the (n - threads)-th result, so the (n - threads + 1)-th leaves a
 * thread idle. The steady window runs from the first result to that one; the
 * results inside it over its length are the rate of a long run, which drains
 * once at its end where a round drains every time. Dispatch gaps between a
 * thread's tasks stay in.
 */
async function timeRound(pool: TaskPool<ReplicationTask, ReplicationResult>, spec: ScenarioSpec, from: number, n: number): Promise<RoundTiming> {
  const t0 = mark();
  const done: number[] = [];
  const settle = (): void => {
    done.push(performance.now());
  };
  await Promise.all(Array.from({ length: n }, (_, i) => pool.run({ spec, index: from + i }, from + i, `replication ${from + i}`, () => {}).then(settle)));
  const whole = figure(n, t0);
  const last = n - pool.threads;
  return { seconds: whole.seconds, cpuSeconds: whole.cpuSeconds, steadyReplications: last, steadySeconds: (done[last]! - done[0]!) / 1000 };
}

/**
 * Replications/s on two pools already started and warmed, with 1 and with 2
 * threads: each thread first runs WARMUP_PER_THREAD replications from outside
 * the measured set, then ROUNDS rounds each time `perRound` replications on
 * the 1-thread pool and the same on the 2-thread pool. Alternating puts both
 * under the same host conditions (a shared VM's speed drifts from one second
 * to the next); the figures add the rounds up. Before each round the process's
 * GC is fitted to that pool, as runReplications fits it. Tasks go through
 * TaskPool as a run's do (progress port included).
 */
async function warmPools(spec: ScenarioSpec, perRound: number): Promise<Pick<ParallelBench, 'warm1' | 'warm2' | 'roundSpeedups' | 'rounds1' | 'rounds2'>> {
  fitGcToPool(2); // before the threads start: they read the GC flags at start-up
  const pools = [1, 2].map((threads) => new TaskPool<ReplicationTask, ReplicationResult>({ workerFile: REPLICATION_WORKER, threads, resourceLimits: REPLICATION_RESOURCE_LIMITS }));
  try {
    for (const pool of pools) await timeRound(pool, spec, ROUNDS * perRound, WARMUP_PER_THREAD * pool.threads);
    const sum = [0, 1].map(() => ({ seconds: 0, cpuSeconds: 0, steadyReplications: 0, steadySeconds: 0 }));
    const roundSpeedups: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rate = [0, 0];
      for (let p = 0; p < pools.length; p++) {
        fitGcToPool(pools[p]!.threads);
        const t = await timeRound(pools[p]!, spec, round * perRound, perRound);
        rate[p] = t.steadyReplications / t.steadySeconds;
        const acc = sum[p]!;
        acc.seconds += t.seconds;
        acc.cpuSeconds += t.cpuSeconds;
        acc.steadyReplications += t.steadyReplications;
        acc.steadySeconds += t.steadySeconds;
      }
      roundSpeedups.push(rate[1]! / rate[0]!);
    }
    const total = ROUNDS * perRound;
    // CPU is read per round; the steady figures get the window's share of it.
    const steady = (p: number): ThroughputFigure => {
      const a = sum[p]!;
      return { replications: a.steadyReplications, seconds: a.steadySeconds, perSec: a.steadyReplications / a.steadySeconds, cpuSeconds: (a.cpuSeconds * a.steadySeconds) / a.seconds };
    };
    const whole = (p: number): ThroughputFigure => ({ replications: total, seconds: sum[p]!.seconds, perSec: total / sum[p]!.seconds, cpuSeconds: sum[p]!.cpuSeconds });
    return { warm1: steady(0), warm2: steady(1), roundSpeedups, rounds1: whole(0), rounds2: whole(1) };
  } finally {
    await Promise.all(pools.map((p) => p.destroy()));
  }
}

/**
 * Past most of V8's compile tail. A thread's first replications run several
 * times slower while TurboFan compiles ~450 functions; after that it still
 * compiles what a replication calls only once or a few times (runReplication,
 * planCohort, the encoders, 5-25 ms each, on a helper thread). --trace-opt
 * on the 2-worker pool, 192 measured replications: 54 compiles, 158 ms after
 * 48 warm-up replications a thread; 24 compiles, 77 ms after 128. On 2
 * workers that compiling takes cores from replications; on 1 it has an idle
 * core, so a short warm-up charges the 2-worker pool for JIT warm-up, not for
 * running in parallel. A fresh pool's warm-up is what the end-to-end figure
 * shows.
 */
const WARMUP_PER_THREAD = 128;
/**
 * Rounds of the warm-pool comparison, each PER_ROUND replications on either
 * pool. Eight: on this shared VM a single round's ratio ranged 1.6-2.1, and
 * one bad round of four moved the pooled figure by ~0.05.
 */
const ROUNDS = 8;
/**
 * 24 a round: twelve on each of two workers. The steady window leaves out
 * the round's drain, which the whole-round figure keeps: about half a
 * replication with one of two threads idle, ~3 % of a 2-worker round here.
 */
const PER_ROUND = 24;

/** ~0.055 s a replication on a quiet 2-core host: 48 take ~2.7 s on one worker, ~1.5 s on two. */
export async function benchParallel(file = 'scenarios/fi-ee-eprescription.yaml', replications = 48): Promise<ParallelBench> {
  const spec = loadScenario(`${root}${file}`, { sets: [`replications=${replications}`] });
  let t0 = mark();
  for (let i = 0; i < replications; i++) runReplication(spec, i);
  const inThread = figure(replications, t0);
  const { warm1, warm2, roundSpeedups, rounds1, rounds2 } = await warmPools(spec, PER_ROUND);
  t0 = mark();
  await runReplications(spec, { workers: 1 });
  const workers1 = figure(replications, t0);
  t0 = mark();
  await runReplications(spec, { workers: 2 });
  const workers2 = figure(replications, t0);
  t0 = mark();
  await runReplications(loadScenario(`${root}${file}`, { sets: ['replications=1', 'population[0].count=1'] }), { workers: 1 });
  const poolStartSeconds = figure(1, t0).seconds;
  return {
    scenario: spec.name,
    inThread,
    warm1,
    warm2,
    speedup: warm2.perSec / warm1.perSec,
    roundSpeedups,
    rounds1,
    rounds2,
    roundsSpeedup: rounds2.perSec / rounds1.perSec,
    workers1,
    workers2,
    endToEndSpeedup: workers2.perSec / workers1.perSec,
    poolStartSeconds,
  };
}

/** One eu-summer-peak replication with every cohort's count x `scale`, in a fresh `node --import tsx`. */
export async function peakRss(scale: 1 | 10, file = 'scenarios/eu-summer-peak.yaml'): Promise<PeakRss> {
  const path = `${root}${file}`;
  const sets = loadScenario(path).population.map((c, i) => `population[${i}].count=${c.count * scale}`);
  const child = `
    import { loadScenario } from ${JSON.stringify(repoUrl('scenarios/load.ts'))};
    import { runReplication } from ${JSON.stringify(repoUrl('agents/replication.ts'))};
    const spec = loadScenario(${JSON.stringify(path)}, { sets: ${JSON.stringify(sets)} });
    const baseRssMb = process.memoryUsage().rss / 2 ** 20;
    const t0 = performance.now();
    const r = runReplication(spec, 0);
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ patients: r.patients, events: r.events, seconds, baseRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  `;
  return { scale, ...(JSON.parse(await runModuleInChild(child)) as Omit<PeakRss, 'scale'>) };
}
