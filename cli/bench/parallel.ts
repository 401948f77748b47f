/**
 * Parallel benchmarks, figures only (nothing asserts a time): replications/s
 * of fi-ee-eprescription in-thread, on the pool with 1 and with 2 workers
 * (each pool run includes its start-up, as a real run does), the pool's
 * start-up alone; and the peak RSS of one eu-summer-peak replication at 1x or
 * 10x population, in a fresh process.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runReplication } from '../../agents/replication.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { runReplications } from '../run-replications.ts';

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
  workers1: ThroughputFigure;
  workers2: ThroughputFigure;
  /** workers2.perSec / workers1.perSec. */
  speedup: number;
  /**
   * workers1.seconds - inThread.seconds: the pool's net cost at one worker,
   * start-up less what its larger young generation saves; negative = faster.
   */
  poolOverheadSeconds: number;
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

/** ~0.1 s a replication on a quiet 2-core host: 48 take ~5 s on one worker, ~3 s on two. */
export async function benchParallel(file = 'scenarios/fi-ee-eprescription.yaml', replications = 48): Promise<ParallelBench> {
  const spec = loadScenario(`${root}${file}`, { sets: [`replications=${replications}`] });
  let t0 = mark();
  for (let i = 0; i < replications; i++) runReplication(spec, i);
  const inThread = figure(replications, t0);
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
    workers1,
    workers2,
    speedup: workers2.perSec / workers1.perSec,
    poolOverheadSeconds: workers1.seconds - inThread.seconds,
    poolStartSeconds,
  };
}

/** One eu-summer-peak replication with every cohort's count x `scale`, in a fresh `node --import tsx`. */
export async function peakRss(scale: 1 | 10, file = 'scenarios/eu-summer-peak.yaml'): Promise<PeakRss> {
  const path = `${root}${file}`;
  const sets = loadScenario(path).population.map((c, i) => `population[${i}].count=${c.count * scale}`);
  const url = (p: string): string => pathToFileURL(`${root}${p}`).href;
  const child = `
    import { loadScenario } from ${JSON.stringify(url('scenarios/load.ts'))};
    import { runReplication } from ${JSON.stringify(url('agents/replication.ts'))};
    const spec = loadScenario(${JSON.stringify(path)}, { sets: ${JSON.stringify(sets)} });
    const baseRssMb = process.memoryUsage().rss / 2 ** 20;
    const t0 = performance.now();
    const r = runReplication(spec, 0);
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ patients: r.patients, events: r.events, seconds, baseRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  `;
  // Resolved here so the child finds tsx whatever its working directory.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, '--input-type=module', '--eval', child], { cwd: root, maxBuffer: 1 << 20 });
  return { scale, ...(JSON.parse(stdout) as Omit<PeakRss, 'scale'>) };
}
