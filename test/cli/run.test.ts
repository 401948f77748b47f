// The CLI end to end, in process: `run --json` prints exactly one Report and
// is byte-identical outside `run` for the same seed; `validate` explains a bad
// scenario with file:line:column and exit 2; --out writes the report.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { runCommand } from '../../cli/commands/run.ts';
import { capture } from '../helpers/capture-io.ts';


async function runJson(args: string[]): Promise<{ code: number; report: Record<string, unknown>; raw: string }> {
  const io = capture();
  const code = await main(['run', ...args, '--json'], io);
  return { code, report: JSON.parse(io.stdout) as Record<string, unknown>, raw: io.stdout };
}

const withoutRun = (r: Record<string, unknown>): string => JSON.stringify({ ...r, run: undefined });

describe('pitsim run', () => {
  const scenario = 'scenarios/fi-ee-eprescription.yaml';
  const small = ['--replications', '2', '--set', 'population[0].count=600'];

  it('--json prints one Report with the contract keys, identical for the same seed', async () => {
    const a = await runJson([scenario, ...small]);
    const b = await runJson([scenario, ...small]);
    expect(a.code).toBe(0);
    expect(Object.keys(a.report)).toEqual(['meta', 'run', 'flows', 'nodes', 'security', 'iot', 'faults']);
    expect(Object.keys(a.report['flows'] as object)).toEqual(['patientSummary', 'ePrescription', 'eDispensation', 'iotUpload', 'consentChange']);
    expect(withoutRun(a.report)).toBe(withoutRun(b.report));
    const c = await runJson([scenario, ...small, '--seed', '99']);
    expect(withoutRun(c.report)).not.toBe(withoutRun(a.report));
  });

  it('--out writes the JSON, Markdown and CSV reports atomically (no temp file left)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-out-'));
    const io = capture();
    expect(await main(['run', scenario, ...small, '--out', dir], io)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['csv', 'report.json', 'report.md']);
    expect(readdirSync(join(dir, 'csv')).sort()).toContain('flows.csv');
    expect((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { meta: { scenario: string } }).meta.scenario).toBe('fi-ee-eprescription');
    expect(io.stdout).toContain('Flows');
  });

  it('a bad scenario exits 2, names file:line:column, and runs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ndescription: x\nduration: 2 days\nreplicatons: 3\ncountries: {FI: {}, EE: {}}\npopulation: []\n');
    for (const cmd of ['run', 'validate']) {
      const io = capture();
      expect(await main([cmd, file, '--out', join(dir, 'out')].slice(0, cmd === 'run' ? 4 : 2), io)).toBe(2);
      expect(io.stdout).toBe('');
      expect(io.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:4:1`));
      expect(io.stderr).toContain('did you mean `replications`?');
    }
    expect(readdirSync(dir)).toEqual(['bad.yaml']);
  });

  it('thresholds set the exit code: 99 when one fails (and says which), 0 when all pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-thr-'));
    const base = readFileSync(scenario, 'utf8').replace('count: 4000', 'count: 300').replace('replications: 10', 'replications: 2');
    const pass = join(dir, 'pass.yaml');
    const fail = join(dir, 'fail.yaml');
    writeFileSync(pass, `${base}\nthresholds:\n  - flows.ePrescription.latencyMs.p95 < 60000\n  - security.recordsExposed == 0\n`);
    writeFileSync(fail, `${base}\nthresholds:\n  - flows.ePrescription.latencyMs.p95 < 60000\n  - flows.ePrescription.successRate > 0.999\n`);
    const ok = capture();
    expect(await main(['run', pass, '--json'], ok)).toBe(0);
    expect((JSON.parse(ok.stdout) as { thresholds: { ok: boolean }[] }).thresholds.map((t) => t.ok)).toEqual([true, true]);
    const bad = capture();
    expect(await main(['run', fail], bad)).toBe(99);
    expect(bad.stderr).toContain('threshold failed: ');
    expect(bad.stderr).toContain('flows.ePrescription.successRate > 0.999');
    expect(bad.stdout).toMatch(/FAILED\s+flows\.ePrescription\.successRate > 0\.999/);
    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, `${base}\nthresholds:\n  - flows.ePrescription.latencyMs.p96 < 5000\n`);
    const t = capture();
    expect(await main(['run', typo], t)).toBe(2);
    expect(t.stderr).toContain('thresholds[0]');
    expect(t.stdout).toBe('');
  });

  for (const fault of ['throw', 'crash'] as const) {
    it(`a worker that ${fault === 'throw' ? 'throws' : 'dies'} fails the run naming the replication and seed; no report is written`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pitsim-crash-'));
      const io = capture();
      const run = runCommand({ scenario, set: ['population[0].count=300', 'replications=3'], json: true, out: dir, workers: 2, tui: false, testFaults: { 1: fault } }, io);
      await expect(run).rejects.toThrow(/replication 1 of fi-ee-eprescription \(seed 2019, stream 2019\/rep:1\)/);
      expect(readdirSync(dir)).toEqual([]);
      expect(io.stdout).toBe('');
    });
  }

  it('the same report for 1, 2 and 3 workers', async () => {
    const reports = [];
    for (const w of ['1', '2', '3']) reports.push(withoutRun((await runJson([scenario, ...small, '--replications', '4', '--workers', w])).report));
    expect(reports[1]).toBe(reports[0]);
    expect(reports[2]).toBe(reports[0]);
  });

  it('validate prints what a good scenario would run', async () => {
    const io = capture();
    expect(await main(['validate', 'scenarios/german-tourist-france.yaml'], io)).toBe(0);
    expect(io.stdout).toContain('ok: german-tourist-france');
  });
});
