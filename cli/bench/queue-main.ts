/**
 * `npm run bench:queue`: replications/s through Redis with 1 and 2 worker
 * processes (and the local pool for reference), on a throwaway redis-server.
 * Prints one line per configuration, or one JSON object with --json.
 */
import { benchQueue } from './queue.ts';

const b = await benchQueue();
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(b));
} else {
  for (const [name, v] of Object.entries(b)) {
    if (typeof v === 'object' && v !== null && 'perSec' in v) {
      const f = v as { replications: number; seconds: number; perSec: number };
      console.log(`${name.padEnd(16)} ${f.replications} replications in ${f.seconds.toFixed(2)} s = ${f.perSec.toFixed(2)}/s`);
    }
  }
  console.log(`speedup (2 vs 1 queue workers) ${b.speedup.toFixed(2)}x; queue overhead at 1 worker x${b.overheadAt1.toFixed(2)}`);
}
