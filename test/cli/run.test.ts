// The CLI end to end, in process: `run --json` prints exactly one Report and
// is byte-identical outside `run` for the same seed; `validate` explains a bad
// scenario with file:line:column and exit 2; --out writes the report.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/io.ts';

function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTty: false,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

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
    expect(Object.keys(a.report)).toEqual(['meta', 'run', 'flows', 'nodes', 'security', 'iot']);
    expect(Object.keys(a.report['flows'] as object)).toEqual(['patientSummary', 'ePrescription', 'eDispensation', 'iotUpload', 'consentChange']);
    expect(withoutRun(a.report)).toBe(withoutRun(b.report));
    const c = await runJson([scenario, ...small, '--seed', '99']);
    expect(withoutRun(c.report)).not.toBe(withoutRun(a.report));
  });

  it('--out writes report.json atomically (no temp file left)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-out-'));
    const io = capture();
    expect(await main(['run', scenario, ...small, '--out', dir], io)).toBe(0);
    expect(readdirSync(dir)).toEqual(['report.json']);
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

  it('validate prints what a good scenario would run', async () => {
    const io = capture();
    expect(await main(['validate', 'scenarios/german-tourist-france.yaml'], io)).toBe(0);
    expect(io.stdout).toContain('ok: german-tourist-france');
  });
});
