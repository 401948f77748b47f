// Paired comparison with common random numbers: a scenario against itself
// differs by exactly zero everywhere (zero-width interval, no marker); halving
// ePrescription consent is significant with the right signs; the interval of
// a noisy difference narrows as replications grow. Small populations keep it fast.
import { beforeAll, describe, expect, it } from 'vitest';
import { runReplication } from '../../agents/replication.ts';
import type { ReplicationResult } from '../../agents/result.ts';
import { CompareError, compareResults, type Comparison, type MetricComparison } from '../../reports/compare.ts';
import { compareText, comparisonCsv, csvCell } from '../../reports/compare-text.ts';
import { sweepCsv, sweepGrid, sweepText, type SweepRow } from '../../reports/sweep.ts';
import { loadScenario } from '../../scenarios/load.ts';

const scenario = 'scenarios/fi-ee-eprescription.yaml';
const small = ['population[0].count=250'];

function results(sets: readonly string[], n: number): ReplicationResult[] {
  const spec = loadScenario(scenario, { sets: [...small, ...sets] });
  return Array.from({ length: n }, (_, i) => runReplication(spec, i));
}

function metric(c: Comparison, subject: string, name: string): MetricComparison {
  const m = c.metrics.find((x) => x.subject === subject && x.metric === name);
  if (m === undefined) throw new Error(`no ${subject} ${name} in the comparison`);
  return m;
}

const halfWidth = (m: MetricComparison): number => (m.ci95 === null ? NaN : (m.ci95[1] - m.ci95[0]) / 2);
const markedRows = (text: string): string[] => text.split('\n').filter((l) => /\*\s*$/.test(l));

describe('compareResults', () => {
  const labels = { a: 'A', b: 'B' };
  // Replication i is a function of (spec, i) alone, so the first 3 of 12 are a 3-replication run.
  let full: ReplicationResult[] = [];
  let half: ReplicationResult[] = [];
  beforeAll(() => {
    full = results(['population[0].consent.ePrescription=1'], 12);
    half = results(['population[0].consent.ePrescription=0.5'], 12);
  });

  it('a scenario against itself: every difference 0, interval [0, 0], nothing marked', () => {
    const again = results(['population[0].consent.ePrescription=1'], 3);
    const c = compareResults(full.slice(0, 3), again, labels);
    expect(c.pairs).toBe(3);
    expect(c.commonRandomNumbers).toBe(true);
    expect(c.metrics.length).toBeGreaterThan(10);
    for (const m of c.metrics) {
      expect(m.diff, `${m.subject} ${m.metric}`).toBe(0);
      expect(m.a).toBe(m.b);
      if (m.pairs >= 2) expect(m.ci95).toEqual([0, 0]);
      else expect(m.ci95).toBeNull();
      expect(m.significant).toBe(false);
    }
    expect(markedRows(compareText(c))).toEqual([]);
    expect(compareText(c)).toContain(`0 of ${c.metrics.length} metrics differ significantly`);
  });

  it('halving ePrescription consent lowers success and raises ERROR_NO_CONSENT, significantly', () => {
    const c = compareResults(full.slice(0, 4), half.slice(0, 4), labels);
    const success = metric(c, 'ePrescription', 'successRate');
    expect(success.diff).toBeLessThan(-0.2);
    expect(success.significant).toBe(true);
    expect(success.ci95![1]).toBeLessThan(0);
    const noConsent = metric(c, 'ePrescription', 'failures.ERROR_NO_CONSENT');
    expect(noConsent.a).toBe(0);
    expect(noConsent.diff).toBeGreaterThan(0);
    expect(noConsent.significant).toBe(true);
    expect(metric(c, 'security', 'consentViolations').significant).toBe(false);
    const rows = markedRows(compareText(c));
    expect(rows.some((l) => l.includes('success rate'))).toBe(true);
    expect(rows.some((l) => l.includes('ERROR_NO_CONSENT'))).toBe(true);
  });

  it('the interval of a noisy difference narrows from 3 to 12 replications', () => {
    const few = metric(compareResults(full.slice(0, 3), half.slice(0, 3), labels), 'ePrescription', 'successRate');
    const many = metric(compareResults(full, half, labels), 'ePrescription', 'successRate');
    expect(halfWidth(few)).toBeGreaterThan(0);
    expect(halfWidth(many)).toBeLessThan(halfWidth(few) / 2);
  });

  it('pairs by replication index, not by position; one pair has no interval', () => {
    const c = compareResults(full.slice(0, 4), [...half.slice(0, 4)].reverse(), labels);
    expect(c).toEqual(compareResults(full.slice(0, 4), half.slice(0, 4), labels));
    const one = compareResults(full.slice(0, 1), half.slice(0, 3), labels);
    expect(one.pairs).toBe(1);
    expect(one.unpaired).toEqual({ a: 0, b: 2 });
    expect(metric(one, 'ePrescription', 'successRate')).toMatchObject({ ci95: null, significant: false });
    expect(compareText(one)).toContain('one pair gives no interval');
    expect(() => compareResults(full.slice(0, 2), [half[0]!, half[0]!], labels)).toThrow(CompareError);
    expect(() => compareResults(full.slice(0, 1), half.slice(1, 2), labels)).toThrow(/no replication index in common/);
  });

  it('CSV: one row per metric, fixed header, formula cells defused', () => {
    const c = compareResults(full.slice(0, 3), half.slice(0, 3), labels);
    const lines = comparisonCsv(c).trimEnd().split('\n');
    expect(lines[0]).toBe('group,subject,metric,unit,pairs,a,b,diff,ci95Low,ci95High,significant');
    expect(lines.length).toBe(c.metrics.length + 1);
    expect(lines).toContain(lines.find((l) => l.startsWith('flow,ePrescription,successRate,rate,3,')));
    expect(['=1+1', '+x', '-x', '@x', '\tx', '\rx', 'ok', '1-2'].map(csvCell)).toEqual(["'=1+1", "'+x", "'-x", "'@x", "'\tx", "'\rx", 'ok', '1-2']);
  });
});

describe('sweep tables', () => {
  it('sweepGrid is the cartesian product, first param slowest, values in order', () => {
    expect(sweepGrid([])).toEqual([{}]);
    const g = sweepGrid([
      { key: 'policies.retries.max', values: ['0', '1', '3'] },
      { key: 'network.loss', values: ['0', '0.01'] },
    ]);
    expect(g.map((p) => Object.values(p).join('/'))).toEqual(['0/0', '0/0.01', '1/0', '1/0.01', '3/0', '3/0.01']);
    expect(Object.keys(g[0]!)).toEqual(['policies.retries.max', 'network.loss']);
  });

  it('text and CSV use the union of columns; strings are defused', () => {
    const rows: SweepRow[] = [
      { p: 1, 'ePrescription.successRate': 0.5 },
      { p: '=x', 'eDispensation.successRate': 1 },
    ];
    expect(sweepCsv(rows)).toBe("p,ePrescription.successRate,eDispensation.successRate\n1,0.5,\n'=x,,1\n");
    const text = sweepText(rows).trimEnd().split('\n');
    expect(text).toHaveLength(3);
    expect(text[0]).toMatch(/ePrescription ok\s+eDispensation ok$/);
    expect(text[1]).toMatch(/50\.00%\s+-$/);
  });
});
