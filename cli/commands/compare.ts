/**
 * `pitsim compare A.yaml [B.yaml] [--set-b key=value ...]`: runs two variants
 * with the same seed and replication indices (common random numbers), pairs
 * replication i of A with replication i of B, and prints the paired
 * differences with 95 % intervals. With one file, B is A plus the --set-b overrides.
 *
 * Registration for cli/main.ts (uses main.ts's collect, integer, positiveInt):
 *
 *   import { compareCommand } from './commands/compare.ts';
 *
 *   program
 *     .command('compare')
 *     .description('compare two variants replication by replication (common random numbers), with 95% intervals of B - A')
 *     .argument('<a>', 'scenario A (YAML file)')
 *     .argument('[b]', 'scenario B (YAML file); default: A with the --set-b overrides')
 *     .option('-r, --replications <n>', 'replications of each variant (overrides both scenarios)', positiveInt)
 *     .option('-s, --seed <n>', "root seed of both variants (default: A's seed)", integer)
 *     .option('--set <key.path=value>', 'override a key in both variants (repeatable)', collect, [] as string[])
 *     .option('--set-b <key.path=value>', 'override a key in variant B only (repeatable)', collect, [] as string[])
 *     .option('--json', 'print the comparison as JSON on stdout (progress stays on stderr)', false)
 *     .option('-o, --out <dir>', 'also write comparison.json and comparison.csv into this folder (atomically)')
 *     .action(async (a: string, b: string | undefined, opts: { replications?: number; seed?: number; set: string[]; setB: string[]; json: boolean; out?: string }) => {
 *       code = await compareCommand({ a, b, ...opts }, io);
 *     });
 */
import { join } from 'node:path';
import type { ReplicationResult } from '../../agents/result.ts';
import { compareResults } from '../../reports/compare.ts';
import { compareText, comparisonCsv } from '../../reports/compare-text.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { EXIT } from '../exit-codes.ts';
import { specHash } from '../execute.ts';
import { runReplications } from '../run-replications.ts';
import type { Io } from '../io.ts';
import { VERSION } from '../version.ts';
import { loadOrExplain } from './load-or-explain.ts';

export interface CompareArgs {
  /** Scenario A. */
  a: string;
  /** Scenario B; absent: A again (then --set-b says what differs). */
  b?: string | undefined;
  replications?: number | undefined;
  seed?: number | undefined;
  /** Overrides applied to both variants. */
  set: readonly string[];
  /** Overrides applied to B only, after `set`. */
  setB: readonly string[];
  json: boolean;
  out?: string | undefined;
}

export async function compareCommand(args: CompareArgs, io: Io): Promise<number> {
  if (args.b === undefined && args.setB.length === 0) {
    io.err('pitsim compare: B is the same as A\n  hint: name a second scenario (`pitsim compare A.yaml B.yaml`) or say what B changes (`--set-b policies.retries.max=3`)\n');
    return EXIT.invalid;
  }
  const fileB = args.b ?? args.a;
  const forced = [...(args.replications === undefined ? [] : [`replications=${args.replications}`]), ...(args.seed === undefined ? [] : [`seed=${args.seed}`])];
  const setsA = [...args.set, ...forced];
  const setsB = [...args.set, ...args.setB, ...forced];
  // Load both before giving up, so every problem of both variants shows at once.
  const specA = loadOrExplain(args.a, setsA, io);
  let specB = loadOrExplain(fileB, setsB, io);
  if (typeof specA === 'number' || typeof specB === 'number') return EXIT.invalid;

  // Pairing needs the same streams: B follows A's seed and replication count unless the user chose them.
  const align: string[] = [];
  if (specB.seed !== specA.seed) {
    io.err(`pitsim compare: A's seed is ${specA.seed} and B's is ${specB.seed}; both run with seed ${specA.seed} so replications pair (pass --seed to choose)\n`);
    align.push(`seed=${specA.seed}`);
  }
  if (specB.replications !== specA.replications) {
    io.err(`pitsim compare: A has ${specA.replications} replications and B ${specB.replications}; both run ${specA.replications} (pass --replications to choose)\n`);
    align.push(`replications=${specA.replications}`);
  }
  if (align.length > 0) {
    const again = loadOrExplain(fileB, [...setsB, ...align], io);
    if (typeof again === 'number') return again;
    specB = again;
  }

  const labels = { a: label(specA, args.a, []), b: label(specB, fileB, args.setB) };
  io.err(`pitsim compare: ${specA.replications} paired replication${specA.replications === 1 ? '' : 's'}, seed ${specA.seed}\n  A  ${labels.a}\n  B  ${labels.b}\n`);
  const resultsA = await replicate(specA, 'A', io);
  const resultsB = await replicate(specB, 'B', io);
  const comparison = compareResults(resultsA, resultsB, labels);

  // Deterministic: a function of the scenarios and the seed, no wall-clock facts.
  const doc = {
    meta: {
      version: VERSION,
      seed: specA.seed,
      replications: specA.replications,
      set: [...args.set],
      a: { scenario: specA.name, file: args.a, specHash: specHash(specA) },
      b: { scenario: specB.name, file: fileB, setB: [...args.setB], specHash: specHash(specB) },
    },
    ...comparison,
  };
  const json = JSON.stringify(doc, null, 2) + '\n';
  if (args.out !== undefined) {
    for (const [name, content] of [['comparison.json', json], ['comparison.csv', comparisonCsv(comparison)]] as const) {
      const path = join(args.out, name);
      writeFileAtomic(path, content);
      io.err(`wrote ${path}\n`);
    }
  }
  io.out(args.json ? json : compareText(comparison));
  return EXIT.ok;
}

/**
 * The one place replications run for compare (replication order). The worker
 * pool (cli/run-replications.ts) replaces this body when it lands.
 */
async function replicate(spec: ScenarioSpec, variant: string, io: Io): Promise<ReplicationResult[]> {
  const { results } = await runReplications(spec, {
    onProgress: (p) => io.err(`  ${variant} replication ${p.done}/${p.total} done\n`),
  });
  return results;
}

function label(spec: ScenarioSpec, file: string, sets: readonly string[]): string {
  return `${spec.name} (${file})${sets.length > 0 ? ` with ${sets.join(', ')}` : ''}`;
}
