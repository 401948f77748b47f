/**
 * `pitsim sweep <scenario> --param key=v1,v2 [--param ...]`: runs every point
 * of the grid with the same seed (common random numbers across points), prints
 * one row of headline metrics per point and writes sweep.csv under --out.
 * Every point is loaded and checked before anything runs.
 *
 * Registration for cli/main.ts (uses main.ts's collect, integer, positiveInt):
 *
 *   import { sweepCommand } from './commands/sweep.ts';
 *
 *   program
 *     .command('sweep')
 *     .description('run a scenario at every point of a parameter grid (same seed) and tabulate the headline metrics')
 *     .argument('<scenario>', 'scenario YAML file')
 *     .option('--param <key.path=v1,v2,...>', 'a swept key and its values (repeatable; the grid is every combination)', collect, [] as string[])
 *     .option('-r, --replications <n>', 'replications per point (overrides the scenario)', positiveInt)
 *     .option('-s, --seed <n>', 'root seed of every point (overrides the scenario)', integer)
 *     .option('--set <key.path=value>', 'override a key at every point (repeatable)', collect, [] as string[])
 *     .option('--json', 'print the rows as JSON on stdout (progress stays on stderr)', false)
 *     .option('-o, --out <dir>', 'also write sweep.csv into this folder (atomically)')
 *     .action(async (scenario: string, opts: { param: string[]; replications?: number; seed?: number; set: string[]; json: boolean; out?: string }) => {
 *       code = await sweepCommand({ scenario, ...opts }, io);
 *     });
 */
import { join } from 'node:path';
import type { Report } from '../../reports/report.ts';
import { sweepCsv, sweepGrid, sweepRow, sweepText, type SweepParam, type SweepPoint } from '../../reports/sweep.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { EXIT } from '../exit-codes.ts';
import { executeRun } from '../execute.ts';
import type { Io } from '../io.ts';
import { VERSION } from '../version.ts';
import { loadOrExplain } from './load-or-explain.ts';

export interface SweepArgs {
  scenario: string;
  /** `key.path=v1,v2,...`; commas inside (), [], {} or quotes do not split. */
  param: readonly string[];
  replications?: number | undefined;
  seed?: number | undefined;
  set: readonly string[];
  json: boolean;
  out?: string | undefined;
}

/** A --param that cannot be read. */
export class ParamError extends Error {
  readonly code = 'BAD_PARAM';
  constructor(
    readonly param: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ParamError';
  }
}

const FORM = 'write `--param key.path=v1,v2,...`, e.g. `--param policies.retries.max=0,1,3`';

export async function sweepCommand(args: SweepArgs, io: Io): Promise<number> {
  if (args.param.length === 0) {
    io.err(`pitsim sweep: no --param given, so there is nothing to sweep\n  hint: ${FORM}\n`);
    return EXIT.invalid;
  }
  const params: SweepParam[] = [];
  let bad = 0;
  for (const p of args.param) {
    try {
      const parsed = parseParam(p);
      if (params.some((q) => q.key === parsed.key)) throw new ParamError(p, `\`${parsed.key}\` is swept twice`, 'give each key one --param with all its values');
      params.push(parsed);
    } catch (err) {
      if (!(err instanceof ParamError)) throw err;
      io.err(`pitsim sweep: --param ${JSON.stringify(err.param)}: ${err.message}\n  hint: ${err.hint}\n`);
      bad++;
    }
  }
  if (bad > 0) {
    io.err(`${bad} bad --param; nothing was run.\n`);
    return EXIT.invalid;
  }
  if (params.some((p) => p.key === 'seed')) io.err('pitsim sweep: warning: sweeping `seed` gives each point its own random numbers, so differences between points mix in noise\n');

  const grid = sweepGrid(params);
  const forced = [...(args.replications === undefined ? [] : [`replications=${args.replications}`]), ...(args.seed === undefined ? [] : [`seed=${args.seed}`])];
  // Check every point before running any; the same problem at many points is told once.
  const quiet = onceIo(io);
  const specs: ScenarioSpec[] = [];
  const invalid: string[] = [];
  for (const point of grid) {
    const spec = loadOrExplain(args.scenario, [...args.set, ...forced, ...pointSets(point)], quiet);
    if (typeof spec === 'number') invalid.push(`(${describe(point)})`);
    else specs.push(spec);
  }
  if (invalid.length > 0) {
    const some = invalid.slice(0, 3).join(', ') + (invalid.length > 3 ? ', ...' : '');
    io.err(`${invalid.length} of ${grid.length} grid point${grid.length === 1 ? '' : 's'} invalid: ${some}; a \`--set\` above may come from a --param.\n`);
    return EXIT.invalid;
  }

  const first = specs[0]!;
  io.err(`pitsim sweep: ${first.name}, ${grid.length} point${grid.length === 1 ? '' : 's'} x ${first.replications} replication${first.replications === 1 ? '' : 's'}, seed ${first.seed}\n`);
  const rows = [];
  for (const [i, point] of grid.entries()) {
    const report = await runPoint(specs[i]!, args.scenario, io, `point ${i + 1}/${grid.length} (${describe(point)})`);
    rows.push(sweepRow(point, report));
  }

  const csv = sweepCsv(rows);
  if (args.out !== undefined) {
    const path = join(args.out, 'sweep.csv');
    writeFileAtomic(path, csv);
    io.err(`wrote ${path}\n`);
  }
  if (args.json) {
    const meta = { version: VERSION, scenario: first.name, file: args.scenario, seed: first.seed, replications: first.replications, set: [...args.set], params };
    io.out(JSON.stringify({ meta, rows }, null, 2) + '\n');
  } else {
    io.out(sweepText(rows));
  }
  return EXIT.ok;
}

/** `key.path=v1,v2,...` -> the key and its values; throws ParamError with a hint. */
export function parseParam(text: string): SweepParam {
  const eq = text.indexOf('=');
  if (eq < 0) throw new ParamError(text, 'has no `=`', FORM);
  const key = text.slice(0, eq).trim();
  if (key === '') throw new ParamError(text, 'no key before `=`', FORM);
  const values = splitValues(text.slice(eq + 1));
  if (values.length === 0 || values.every((v) => v === '')) throw new ParamError(text, `no values for \`${key}\``, FORM);
  if (values.some((v) => v === '')) throw new ParamError(text, 'an empty value (two commas in a row, or a comma at an end)', 'remove the extra comma');
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) throw new ParamError(text, `\`${dup}\` is listed twice`, 'list each value once');
  return { key, values };
}

/** Splits on commas outside brackets and quotes: `uniform(1d, 2d),exp(2d)` is two values. */
function splitValues(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

/** The one place sweep runs a point's replications (on the worker pool). */
async function runPoint(spec: ScenarioSpec, scenarioFile: string, io: Io, what: string): Promise<Report> {
  const { report } = await executeRun(spec, {
    scenarioFile,
    onProgress: (p) => io.err(`  ${what}: replication ${p.done}/${p.total} done\n`),
  });
  return report;
}

const pointSets = (point: Readonly<SweepPoint>): string[] => Object.entries(point).map(([k, v]) => `${k}=${v}`);
const describe = (point: Readonly<SweepPoint>): string => pointSets(point).join(', ') || 'base';

/** An Io whose stderr drops text it has already written (grid points share problems). */
function onceIo(io: Io): Io {
  const seen = new Set<string>();
  return {
    out: (t) => io.out(t),
    err: (t) => {
      if (seen.has(t)) return;
      seen.add(t);
      io.err(t);
    },
    errIsTty: io.errIsTty,
  };
}
