// `pitsim compare` and `pitsim sweep` in process with a capturing Io: exit
// codes, what goes to stdout and stderr, the files under --out (and none on
// bad input), row counts and CSV headers. Few patients, two replications.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCommand, type CompareArgs } from '../../cli/commands/compare.ts';
import { parseParam, sweepCommand, type SweepArgs } from '../../cli/commands/sweep.ts';
import { capture } from '../helpers/capture-io.ts';


const scenario = 'scenarios/fi-ee-eprescription.yaml';
const small = ['population[0].count=200'];
const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `pitsim-${name}-`));

function compare(args: Partial<CompareArgs>): Promise<{ code: number; io: ReturnType<typeof capture> }> {
  const io = capture();
  return compareCommand({ a: scenario, set: small, setB: [], replications: 2, json: false, ...args }, io).then((code) => ({ code, io }));
}

function sweep(args: Partial<SweepArgs>): Promise<{ code: number; io: ReturnType<typeof capture> }> {
  const io = capture();
  return sweepCommand({ scenario, set: small, param: [], replications: 2, json: false, ...args }, io).then((code) => ({ code, io }));
}

describe('pitsim compare', () => {
  it('A vs A with --set-b: a marked table, comparison.json and comparison.csv under --out', async () => {
    const out = tmp('cmp');
    const { code, io } = await compare({ setB: ['population[0].consent.ePrescription=0.5'], out });
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/^A {2}fi-ee-eprescription \(scenarios\/fi-ee-eprescription\.yaml\)\n/);
    expect(io.stdout).toContain('with population[0].consent.ePrescription=0.5');
    expect(io.stdout).toMatch(/ePrescription +success rate .*\*$/m);
    expect(io.stderr).toContain('B replication 2/2 done');
    expect(readdirSync(out).sort()).toEqual(['comparison.csv', 'comparison.json']);
    const csv = readFileSync(join(out, 'comparison.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('group,subject,metric,unit,pairs,a,b,diff,ci95Low,ci95High,significant');
    const json = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')) as { meta: { seed: number }; pairs: number; metrics: unknown[] };
    expect(json.meta.seed).toBe(2019);
    expect(json.pairs).toBe(2);
    expect(csv.length).toBe(json.metrics.length + 1);
  });

  it('--json prints one deterministic document; two files with different seeds run on A\'s seed', async () => {
    const dir = tmp('seeds');
    const other = join(dir, 'b.yaml');
    writeFileSync(other, readFileSync(scenario, 'utf8').replace(/^seed: 2019$/m, 'seed: 7'));
    const first = await compare({ b: other, json: true });
    const again = await compare({ b: other, json: true });
    expect(first.code).toBe(0);
    expect(first.io.stdout).toBe(again.io.stdout);
    expect(first.io.stderr).toContain("A's seed is 2019 and B's is 7; both run with seed 2019");
    const doc = JSON.parse(first.io.stdout) as { meta: { seed: number }; commonRandomNumbers: boolean; metrics: { diff: number }[] };
    expect(doc.meta.seed).toBe(2019);
    expect(doc.commonRandomNumbers).toBe(true);
    // Same world, same seed: B is A.
    expect(doc.metrics.every((m) => m.diff === 0)).toBe(true);
    const seeded = await compare({ b: other, json: true, seed: 5 });
    expect(seeded.io.stderr).not.toContain("A's seed");
    expect((JSON.parse(seeded.io.stdout) as { meta: { seed: number } }).meta.seed).toBe(5);
  });

  it('no B and no --set-b, or a bad --set-b: exit 2, nothing on stdout or disk', async () => {
    const none = await compare({});
    expect(none.code).toBe(2);
    expect(none.io.stderr).toContain('hint: name a second scenario');
    const out = tmp('badb');
    const bad = await compare({ setB: ['policies.retries.max=lots'], out });
    expect(bad.code).toBe(2);
    expect(bad.io.stdout).toBe('');
    expect(bad.io.stderr).toMatch(/policies\.retries\.max/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('pitsim sweep', () => {
  const params = ['policies.retries.max=0,2', 'network.links.EE-FI.loss=0,0.05'];

  it('one row per grid point on stdout, sweep.csv under --out', async () => {
    const out = tmp('sweep');
    const { code, io } = await sweep({ param: params, out });
    expect(code).toBe(0);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^policies\.retries\.max +network\.links\.EE-FI\.loss +.*ePrescription ok/);
    expect(io.stderr).toContain('4 points x 2 replications, seed 2019');
    expect(readdirSync(out)).toEqual(['sweep.csv']);
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^policies\.retries\.max,network\.links\.EE-FI\.loss,(\w+\.successRate,\w+\.successRate\.ci95Low,\w+\.successRate\.ci95High,\w+\.latencyMs\.p95,)+nodes\.maxUtilisation,nodes\.busiest,security\.recordsExposed,/);
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join('/'))).toEqual(['0/0', '0/0.05', '2/0', '2/0.05']);
  });

  it('--json prints the rows; loss lowers the ePrescription success rate at the same seed', async () => {
    const { code, io } = await sweep({ param: ['network.links.EE-FI.loss=0,0.2'], json: true });
    expect(code).toBe(0);
    const doc = JSON.parse(io.stdout) as { meta: { seed: number }; rows: Record<string, number | string>[] };
    expect(doc.rows).toHaveLength(2);
    expect(doc.rows[0]!['network.links.EE-FI.loss']).toBe(0);
    expect(doc.rows[1]!['ePrescription.successRate']).toBeLessThan(doc.rows[0]!['ePrescription.successRate'] as number);
  });

  it('a bad --param exits 2 with the reason and a hint; nothing runs or is written', async () => {
    const out = tmp('badparam');
    for (const [param, why] of [
      ['policies.retries.max', 'has no `='],
      ['=1,2', 'no key before `='],
      ['policies.retries.max=1,,2', 'an empty value'],
      ['policies.retries.max=', 'no values for'],
    ] as const) {
      const { code, io } = await sweep({ param: [param], out });
      expect(code, param).toBe(2);
      expect(io.stderr).toContain(`--param ${JSON.stringify(param)}: ${why}`);
      expect(io.stderr).toContain('hint:');
      expect(io.stderr).toContain('nothing was run');
      expect(io.stdout).toBe('');
    }
    const none = await sweep({ out });
    expect(none.code).toBe(2);
    expect(none.io.stderr).toContain('no --param');
    const twice = await sweep({ param: ['policies.retries.max=1', 'policies.retries.max=2'], out });
    expect(twice.io.stderr).toContain('swept twice');
    // A value the scenario rejects: every point is checked before any runs.
    const value = await sweep({ param: ['policies.retries.max=1,lots'], out });
    expect(value.code).toBe(2);
    expect(value.io.stderr).toContain('1 of 2 grid points invalid: (policies.retries.max=lots)');
    expect(value.io.stderr).not.toContain('replication');
    expect(readdirSync(out)).toEqual([]);
  });

  it('values split on top-level commas only', () => {
    expect(parseParam('population[0].stay=uniform(1d, 2d),exp(2d)')).toEqual({ key: 'population[0].stay', values: ['uniform(1d, 2d)', 'exp(2d)'] });
    expect(parseParam("description='a, b',c").values).toEqual(["'a, b'", 'c']);
  });
});
