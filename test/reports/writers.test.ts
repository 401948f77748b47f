// The Report writers (JSON, CSV, Markdown) against golden files built from a
// fixed Report (test/reports/fixtures/report.json: a small real run of
// german-tourist-france with `run` set to constants), plus CSV formula
// injection, Markdown escaping, and cli/write-outputs on disk.
//
// After an intended change to a writer, regenerate the goldens and review the diff:
//   UPDATE_GOLDEN=1 npx vitest run test/reports
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../reports/report.ts';
import { evaluateThresholds, type ReportWithThresholds } from '../../reports/thresholds.ts';
import { neutraliseFormula, reportCsv } from '../../reports/write-csv.ts';
import { reportJson } from '../../reports/write-json.ts';
import { reportMarkdown } from '../../reports/write-markdown.ts';
import { OutputWriteError, writeOutputs } from '../../cli/write-outputs.ts';
import { textSummary } from '../../reports/text-summary.ts';

const here = import.meta.dirname;
const fixtureText = readFileSync(join(here, 'fixtures', 'report.json'), 'utf8');
const fixture = (): Report => JSON.parse(fixtureText) as Report;
const update = process.env['UPDATE_GOLDEN'] === '1';

const THRESHOLDS = [
  'flows.ePrescription.latencyMs.p95 < 5000',
  'flows.patientSummary.successRate > 0.99',
  'security.recordsExposed == 0',
  'nodes.ncp.FR.utilisation <= 0.8',
  'flows.iotUpload.latencyMs.p95 < 1000',
];
const withThresholds = (): ReportWithThresholds => {
  const r = fixture();
  return { ...r, thresholds: evaluateThresholds(r, THRESHOLDS) };
};

function golden(name: string, actual: string): void {
  const file = join(here, 'golden', name);
  if (update) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `missing golden ${relative(process.cwd(), file)}: run UPDATE_GOLDEN=1 npx vitest run test/reports`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('golden files', () => {
  it('report.json', () => golden('report.json', reportJson(withThresholds())));
  it('report.md', () => golden('report.md', reportMarkdown(withThresholds())));
  const csv = reportCsv(withThresholds());
  for (const name of Object.keys(csv)) it(`csv/${name}`, () => golden(`csv/${name}`, csv[name]!));
  it('no golden CSV is left over from a table that no longer exists', () => {
    if (update) return;
    expect(readdirSync(join(here, 'golden', 'csv')).sort()).toEqual(Object.keys(csv).sort());
  });
});

describe('reportJson', () => {
  it('gives back the fixture byte for byte: 2-space indent, Report key order, one trailing newline', () => {
    expect(reportJson(fixture())).toBe(fixtureText);
    expect(reportJson(fixture()).endsWith('}\n')).toBe(true);
  });
});

describe('reportCsv', () => {
  it('writes one file per table, in a fixed order, thresholds.csv only with thresholds', () => {
    expect(Object.keys(reportCsv(fixture()))).toEqual(['flows.csv', 'steps.csv', 'failure-reasons.csv', 'outcomes.csv', 'warnings.csv', 'nodes.csv', 'security.csv', 'iot.csv', 'faults.csv']);
    expect(Object.keys(reportCsv(withThresholds())).at(-1)).toBe('thresholds.csv');
  });

  it('keeps rows in Report order and leaves "no data" cells empty', () => {
    const rows = csvParseRows(reportCsv(fixture())['flows.csv']!);
    expect(rows.map((r) => r[0])).toEqual(['flow', 'patientSummary', 'ePrescription', 'eDispensation', 'iotUpload', 'consentChange']);
    const iot = rows.find((r) => r[0] === 'iotUpload')!;
    expect(iot.slice(4)).toEqual(['', '', '', '0', '', '', '', '', '', '']);
  });

  it("prefixes ' to string cells a spreadsheet would run as a formula; numbers stay numeric", () => {
    const r = fixture();
    const f = r.flows['ePrescription']!;
    f.failureReasons = { '=HYPERLINK("http://evil.example","click")': 3, '+1': 1, '@SUM(A1)': 1, '-2': 1, ERROR_NO_CONSENT: 2 };
    r.nodes['ncp.FR']!.capacity = -1;
    const csv = reportCsv(r);
    const lines = csv['failure-reasons.csv']!.split('\n');
    expect(lines).toContain(`ePrescription,"'=HYPERLINK(""http://evil.example"",""click"")",3,0.002161`);
    expect(lines).toContain("ePrescription,'+1,1,0.00072");
    expect(lines).toContain("ePrescription,'@SUM(A1),1,0.00072");
    expect(lines).toContain("ePrescription,'-2,1,0.00072");
    expect(lines).toContain('ePrescription,ERROR_NO_CONSENT,2,0.001441');
    expect(csv['nodes.csv']!.split('\n').find((l) => l.startsWith('ncp.FR,'))).toMatch(/^ncp\.FR,ncp,FR,-1,/);
    const parsed = csvParseRows(csv['failure-reasons.csv']!).filter((row) => row[0] === 'ePrescription');
    expect(parsed[0]).toEqual(['ePrescription', `'=HYPERLINK("http://evil.example","click")`, '3', '0.002161']);
  });

  it('neutralises each dangerous first character, and only those', () => {
    expect(['=1', '+1', '-1', '@a', '\tx', '\rx', 'a=1', ' =1', 'ok'].map(neutraliseFormula)).toEqual(["'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", 'a=1', ' =1', 'ok']);
  });
});

describe('faults, IoT and security beyond the fixture', () => {
  // The fixture's scenario has no faults or devices; these fields are set by hand.
  const busy = (): Report => {
    const r = fixture();
    r.faults = { 'fr-ncp-outage': { kind: 'outage', target: 'ncp.FR', windows: 3, activeMs: 21_600_000 } };
    r.iot = { ...r.iot, devices: 40, readingsGenerated: 1000, readingsDelivered: 990, readingsLost: 10, readingsExfiltrated: 5, personalFieldsCrossed: 7, alerts: 2 };
    r.security = { ...r.security, breakGlassAccesses: 4, abuseAlerts: 1 };
    return r;
  };

  it('CSV: one faults.csv row per fault, IoT and security counts as metric rows', () => {
    const csv = reportCsv(busy());
    expect(csv['faults.csv']).toBe('id,kind,target,windows,active_ms\nfr-ncp-outage,outage,ncp.FR,3,21600000\n');
    expect(csv['iot.csv']).toContain('\nreadingsExfiltrated,5,,\n');
    expect(csv['security.csv']).toContain('\nbreakGlassAccesses,4,,\n');
  });

  it('Markdown: a faults section only with faults, and IoT in words', () => {
    expect(reportMarkdown(fixture())).not.toContain('## Faults');
    const md = reportMarkdown(busy());
    expect(md).toContain('| fr-ncp-outage | outage | ncp.FR | 3 | 6.0 h |');
    expect(md).toContain('40 devices generated 1,000 readings: 990 delivered (99.00%), 10 lost (1.00%), 5 exfiltrated (0.50%).');
    expect(md).toContain('| Break-glass emergency accesses | 4 | – |');
  });

  it('thresholds read fault ids with dashes', () => {
    expect(evaluateThresholds(busy(), ['faults.fr-ncp-outage.windows <= 3'])[0]?.ok).toBe(true);
  });
});

describe('reportMarkdown', () => {
  it('escapes | in table cells and keeps rows on one line', () => {
    const r = fixture();
    r.flows['ePrescription']!.outcomes = { 'paid|cash': 2, 'two\nlines': 1 };
    const md = reportMarkdown(r);
    expect(md).toContain('| paid\\|cash | 2 | 0.14% |');
    expect(md).toContain('| two lines | 1 | 0.07% |');
  });

  it('gives the OpenNCP meaning and code of each failure reason', () => {
    const md = reportMarkdown(fixture());
    expect(md).toContain('| `ERROR_NO_CONSENT` | 4701 | 162 | 14.79% | the patient has not consented to cross-border sharing of this data |');
  });

  it('leaves out `run`, so wall time and workers never change the text', () => {
    const a = fixture();
    const b = fixture();
    b.run = { ...b.run, wallMs: 98765, workers: 8, startedAt: '2030-01-01T00:00:00.000Z' };
    expect(reportMarkdown(b)).toBe(reportMarkdown(a));
  });

  it('has no thresholds section without thresholds', () => {
    expect(reportMarkdown(fixture())).not.toContain('## Thresholds');
    expect(reportMarkdown(withThresholds())).toContain('2 of 5 thresholds failed.');
  });
});

describe('writeOutputs', () => {
  const tmp = (): string => mkdtempSync(join(tmpdir(), 'pitsim-outputs-'));
  const tree = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((p) => p.split('\\').join('/'))
      .sort();

  it('writes report.md, csv/*.csv and report.json (last), exactly what the writers return', () => {
    const dir = tmp();
    const r = withThresholds();
    const paths = writeOutputs(dir, r);
    const csv = reportCsv(r);
    expect(paths.map((p) => relative(dir, p))).toEqual(['report.md', ...Object.keys(csv).map((n) => `csv/${n}`), 'report.json']);
    expect(tree(dir)).toEqual(['csv', ...Object.keys(csv).map((n) => `csv/${n}`), 'report.json', 'report.md'].sort());
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(reportJson(r));
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe(reportMarkdown(r));
    expect(readFileSync(join(dir, 'csv', 'flows.csv'), 'utf8')).toBe(csv['flows.csv']);
  });

  it('writes only the formats asked for, and drops a stale thresholds.csv', () => {
    const dir = tmp();
    writeOutputs(dir, withThresholds(), ['csv']);
    expect(existsSync(join(dir, 'csv', 'thresholds.csv'))).toBe(true);
    expect(writeOutputs(dir, fixture(), ['json', 'csv']).map((p) => relative(dir, p))).not.toContain('csv/thresholds.csv');
    expect(existsSync(join(dir, 'csv', 'thresholds.csv'))).toBe(false);
    expect(tree(dir)).not.toContain('report.md');
    expect(writeOutputs(tmp(), fixture(), ['json']).length).toBe(1);
  });

  it('a failed write names the file, lists what was already written, and leaves no temp file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'csv'), 'a file where the csv folder should be');
    let err: unknown;
    try {
      writeOutputs(dir, fixture());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutputWriteError);
    const e = err as OutputWriteError;
    expect(e.code).toBe('OUTPUT_WRITE');
    expect(relative(dir, e.path)).toBe('csv/flows.csv');
    expect(e.written.map((p) => relative(dir, p))).toEqual(['report.md']);
    expect(e.hint).toContain('report.md');
    expect(tree(dir)).toEqual(['csv', 'report.md']);
  });
});

describe('plain-text summary (what `pitsim run` prints in a pipe, in CI or with --no-tui)', () => {
  it('matches its golden file, and carries no terminal control codes', () => {
    const text = textSummary(fixture());
    expect(text).not.toMatch(/\u001b/);
    golden('summary.txt', text);
  });
});
