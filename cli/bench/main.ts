/**
 * `npm run bench`: prints kernel throughput, one line per model, or one JSON
 * object with --json. Each figure is the best of 3 runs after a warm-up.
 * Figures only; nothing here asserts a time.
 */
import { runHold, runMmc, type HoldResult, type MmcResult } from './kernel-models.ts';
import { runScenarioBench } from './scenario-model.ts';

const json = process.argv.includes('--json');
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

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
if (json) {
  console.log(
    JSON.stringify({
      hold: { events: hold.events, seconds: r3(hold.seconds), eventsPerSec: Math.round(hold.eventsPerSec) },
      mmc: { customers: mmc.customers, seconds: r3(mmc.seconds), customersPerSec: Math.round(mmc.customersPerSec), meanWait: r3(mmc.meanWait) },
      euSummerPeak: { patients: peak.patients, events: peak.events, seconds: r3(peak.seconds), eventsPerSec: Math.round(peak.eventsPerSec) },
    }),
  );
} else {
  const m = (x: number): string => `${(x / 1e6).toFixed(2)} M`;
  console.log(`hold  1000 procs x 2000 exp(1) holds: ${hold.events} events in ${hold.seconds.toFixed(3)} s = ${m(hold.eventsPerSec)} events/s`);
  console.log(`mmc   M/M/4 lambda 3.6 mu 1:        ${mmc.customers} customers in ${mmc.seconds.toFixed(3)} s = ${m(mmc.customersPerSec)} customers/s, mean wait ${mmc.meanWait.toFixed(4)} (Erlang C 1.9694)`);
  console.log(`peak  ${peak.scenario}, 1 replication:  ${peak.patients} patients, ${peak.events} events in ${peak.seconds.toFixed(3)} s = ${m(peak.eventsPerSec)} events/s`);
}
