/**
 * `npm run bench`: prints throughput figures, one line per model, or one JSON
 * object with --json. Kernel models are the best of 3 runs after a warm-up;
 * the domain, parallel and memory figures are single runs. `--quick` skips
 * the slow parallel and memory figures. Figures only; nothing asserts a time.
 */
import { runHold, runMmc, type HoldResult, type MmcResult } from './kernel-models.ts';
import { benchParallel, peakRss } from './parallel.ts';
import { runScenarioBench } from './scenario-model.ts';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const runs = 3;

function best<T extends { seconds: number }>(f: () => T): T {
  let b: T | undefined;
  for (let i = 0; i < runs; i++) {
    const r = f();
    if (b === undefined || r.seconds < b.seconds) b = r;
  }
  return b!;
}

runHold(1000, 200); // warm-up: let the JIT settle before timing
runMmc(50_000);
const hold: HoldResult = best(() => runHold(1000, 2000));
const mmc: MmcResult = best(() => runMmc(500_000));
const peak = runScenarioBench('scenarios/eu-summer-peak.yaml');
const parallel = quick ? null : await benchParallel();
const rss1 = quick ? null : await peakRss(1);
const rss10 = quick ? null : await peakRss(10);

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
if (json) {
  console.log(
    JSON.stringify({
      hold: { events: hold.events, seconds: r3(hold.seconds), eventsPerSec: Math.round(hold.eventsPerSec) },
      mmc: { customers: mmc.customers, seconds: r3(mmc.seconds), customersPerSec: Math.round(mmc.customersPerSec), meanWait: r3(mmc.meanWait) },
      euSummerPeak: { patients: peak.patients, events: peak.events, seconds: r3(peak.seconds), eventsPerSec: Math.round(peak.eventsPerSec) },
      ...(parallel === null
        ? {}
        : {
            parallel: {
              scenario: parallel.scenario,
              warm1: { replications: parallel.warm1.replications, seconds: r3(parallel.warm1.seconds), perSec: r3(parallel.warm1.perSec) },
              warm2: { replications: parallel.warm2.replications, seconds: r3(parallel.warm2.seconds), perSec: r3(parallel.warm2.perSec) },
              speedup: r3(parallel.speedup),
              roundSpeedups: parallel.roundSpeedups.map(r3),
              rounds1: { replications: parallel.rounds1.replications, seconds: r3(parallel.rounds1.seconds), perSec: r3(parallel.rounds1.perSec) },
              rounds2: { replications: parallel.rounds2.replications, seconds: r3(parallel.rounds2.seconds), perSec: r3(parallel.rounds2.perSec) },
              roundsSpeedup: r3(parallel.roundsSpeedup),
              workers1: { replications: parallel.workers1.replications, seconds: r3(parallel.workers1.seconds), perSec: r3(parallel.workers1.perSec) },
              workers2: { replications: parallel.workers2.replications, seconds: r3(parallel.workers2.seconds), perSec: r3(parallel.workers2.perSec) },
              endToEndSpeedup: r3(parallel.endToEndSpeedup),
              poolStartSeconds: r3(parallel.poolStartSeconds),
            },
          }),
      ...(rss1 === null || rss10 === null ? {} : { peakRss: { x1Mb: Math.round(rss1.peakRssMb), x10Mb: Math.round(rss10.peakRssMb), ratio: r3(rss10.peakRssMb / rss1.peakRssMb) } }),
    }),
  );
} else {
  const m = (x: number): string => `${(x / 1e6).toFixed(2)} M`;
  console.log(`hold      1000 procs x 2000 exp(1) holds: ${hold.events} events in ${hold.seconds.toFixed(3)} s = ${m(hold.eventsPerSec)} events/s`);
  console.log(`mmc       M/M/4 lambda 3.6 mu 1: ${mmc.customers} customers in ${mmc.seconds.toFixed(3)} s = ${m(mmc.customersPerSec)} customers/s, mean wait ${mmc.meanWait.toFixed(4)} (Erlang C 1.9694)`);
  console.log(`peak      ${peak.scenario}, 1 replication: ${peak.patients} patients, ${peak.events} events in ${peak.seconds.toFixed(3)} s = ${m(peak.eventsPerSec)} events/s`);
  if (parallel !== null) {
    const f = (x: { replications: number; seconds: number; perSec: number }): string => `${x.replications} in ${x.seconds.toFixed(2)} s = ${x.perSec.toFixed(2)}/s`;
    console.log(`parallel  ${parallel.scenario}, warm pool, steady: 1 worker ${f(parallel.warm1)}; 2 workers ${f(parallel.warm2)}; speedup ${parallel.speedup.toFixed(2)}x (target >= 1.85x); by round ${parallel.roundSpeedups.map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`          whole rounds of ${parallel.rounds1.replications / parallel.roundSpeedups.length} (each round's drain included): 1 worker ${f(parallel.rounds1)}; 2 workers ${f(parallel.rounds2)}; ${parallel.roundsSpeedup.toFixed(2)}x`);
    console.log(
      `          end to end (fresh pool, start-up and JIT warm-up included): 1 worker ${f(parallel.workers1)}; 2 workers ${f(parallel.workers2)}; ${parallel.endToEndSpeedup.toFixed(2)}x; pool start ${parallel.poolStartSeconds.toFixed(2)} s; in-thread ${parallel.inThread.perSec.toFixed(2)}/s`,
    );
  }
  if (rss1 !== null && rss10 !== null) {
    console.log(`memory    eu-summer-peak peak RSS: 1x population ${rss1.peakRssMb.toFixed(0)} MB, 10x ${rss10.peakRssMb.toFixed(0)} MB, ratio ${(rss10.peakRssMb / rss1.peakRssMb).toFixed(2)}x`);
  }
}
