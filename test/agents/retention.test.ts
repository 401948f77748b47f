// A finished replication must be garbage for V8's young-generation GC, the
// collection a pool worker runs between replications. Anything that outlives
// it (an old WeakMap keyed by the world, a per-run closure stored in a field)
// drags the whole world into the old generation: its typed arrays then pile
// up until a full GC, up to 1.3 MB a replication here. Measured in a child
// process with --expose-gc, as a pool worker runs.
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_MB } from '../../cli/gc-helpers.ts';
import { repoUrl, runModuleInChild } from '../../cli/module-child.ts';

/** ArrayBuffer bytes still held after each of `n` replications and a young-generation GC. */
async function heldAfterEach(scenario: string, n: number): Promise<number[]> {
  const child = `
    import { loadScenario } from ${JSON.stringify(repoUrl('scenarios/load.ts'))};
    import { runReplication } from ${JSON.stringify(repoUrl('agents/replication.ts'))};
    const spec = loadScenario(${JSON.stringify(`scenarios/${scenario}.yaml`)});
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
  // The semi-space a pool worker gets (fitGcToPool): no scavenge inside a replication.
  const stdout = await runModuleInChild(child, ['--expose-gc', `--min-semi-space-size=${SEMI_SPACE_MB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`]);
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
