// A finished replication must be garbage for V8's young-generation GC, the
// collection a pool worker runs between replications. Anything that outlives
// it (an old WeakMap keyed by the world, a per-run closure stored in a field)
// drags the whole world into the old generation: its typed arrays then pile
// up until a full GC, up to 1.3 MB a replication here. Measured in a child process
// with --expose-gc, as a pool worker runs.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const url = (p: string): string => pathToFileURL(`${root}${p}`).href;

/** ArrayBuffer bytes still held after each of `n` replications and a young-generation GC. */
async function heldAfterEach(scenario: string, n: number): Promise<number[]> {
  const child = `
    import { loadScenario } from ${JSON.stringify(url('scenarios/load.ts'))};
    import { runReplication } from ${JSON.stringify(url('agents/replication.ts'))};
    const spec = loadScenario(${JSON.stringify(`${root}scenarios/${scenario}.yaml`)});
    const held = [];
    for (let i = 0; i < ${n}; i++) {
      runReplication(spec, i);
      globalThis.gc({ type: 'minor' });
      // ArrayBuffers die in a concurrent sweep after the GC; the next GC first finishes it.
      globalThis.gc({ type: 'minor' });
      held.push(process.memoryUsage().arrayBuffers);
    }
    process.stdout.write(JSON.stringify(held));
  `;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  // The semi-space as a pool worker sizes it (cli/gc-helpers.ts): no scavenge inside a replication.
  const args = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', '--import', tsx, '--input-type=module', '--eval', child];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as number[];
}

describe('replication garbage', () => {
  it('a finished replication leaves no typed arrays behind after a young-generation GC', { timeout: 60_000 }, async () => {
    for (const scenario of ['fi-ee-eprescription', 'german-tourist-france']) {
      const held = await heldAfterEach(scenario, 10);
      // Retained worlds grow this by 0.3-1.3 MB a replication; freed ones leave it flat.
      expect(held.at(-1)! - held[1]!, `${scenario}: ${held.map((b) => (b / 2 ** 20).toFixed(1)).join(' ')} MB`).toBeLessThan(1 << 20);
    }
  });
});
