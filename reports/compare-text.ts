/**
 * A Comparison as a plain-text table (what `pitsim compare` prints) and as
 * CSV. The table marks with `*` each metric whose 95 % interval of B - A
 * excludes zero; it hides the pharmacy and hospital rows that are not
 * significant (hundreds in a big scenario), the CSV and JSON keep every row.
 */
import { csvFormat } from 'd3-dsv';
import type { Comparison, MetricComparison, MetricUnit } from './compare.ts';

export function compareText(c: Comparison): string {
  const out: string[] = [];
  out.push(`A  ${c.labels.a}`);
  out.push(`B  ${c.labels.b}`);
  out.push(`${c.pairs} paired replication${c.pairs === 1 ? '' : 's'}${c.commonRandomNumbers ? ' (common random numbers)' : ''}; values are means per replication; * = the 95% interval of B - A excludes zero`);
  if (!c.commonRandomNumbers) out.push('warning: some pairs ran on different random streams (different seeds), so the intervals are wider than they need be');
  if (c.unpaired.a + c.unpaired.b > 0) out.push(`warning: ${c.unpaired.a} replication(s) of A and ${c.unpaired.b} of B had no partner and were left out`);
  if (c.pairs < 2) out.push('note: one pair gives no interval; run 2 or more replications');
  out.push('');

  const shown = c.metrics.filter(visible);
  const hidden = c.metrics.length - shown.length;
  const rows: string[][] = [['subject', 'metric', 'A', 'B', 'B - A', '95% CI of B - A', '']];
  let last = '';
  for (const m of shown) {
    rows.push([m.subject === last ? '' : m.subject, label(m), value(m.a, m.unit), value(m.b, m.unit), delta(m.diff, m.unit), interval(m), m.significant ? '*' : '']);
    last = m.subject;
  }
  out.push(...table(rows));
  if (hidden > 0) out.push('', `${hidden} pharmacy and hospital metric${hidden === 1 ? '' : 's'} not shown: none significant (all are in --json and the CSV)`);
  const sig = c.metrics.filter((m) => m.significant).length;
  out.push('', `${sig} of ${c.metrics.length} metric${c.metrics.length === 1 ? '' : 's'} differ significantly`);
  return out.join('\n') + '\n';
}

export const COMPARISON_CSV_COLUMNS = ['group', 'subject', 'metric', 'unit', 'pairs', 'a', 'b', 'diff', 'ci95Low', 'ci95High', 'significant'] as const;

/** One row per metric; rates as shares (0..1), durations in ms, counts per replication. */
export function comparisonCsv(c: Comparison): string {
  const rows = c.metrics.map((m) => ({
    group: csvCell(m.group),
    subject: csvCell(m.subject),
    metric: csvCell(m.metric),
    unit: csvCell(m.unit),
    pairs: m.pairs,
    a: m.a,
    b: m.b,
    diff: m.diff,
    ci95Low: m.ci95 === null ? '' : m.ci95[0],
    ci95High: m.ci95 === null ? '' : m.ci95[1],
    significant: m.significant ? 'true' : 'false',
  }));
  return csvFormat(rows, [...COMPARISON_CSV_COLUMNS]) + '\n';
}

/**
 * A string cell made safe for spreadsheets: one starting with = + - @, tab or
 * CR would be read as a formula (CSV injection), so it gets a leading `'`.
 */
export function csvCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Flows, national contact points and security always; other nodes when they moved. */
function visible(m: MetricComparison): boolean {
  return m.group !== 'node' || m.subject.startsWith('ncp.') || m.significant;
}

function label(m: MetricComparison): string {
  if (m.metric === 'successRate') return 'success rate';
  if (m.metric.startsWith('latencyMs.')) return `latency ${m.metric.slice('latencyMs.'.length)} ms`;
  if (m.metric.startsWith('failures.')) return `failed: ${m.metric.slice('failures.'.length)}`;
  if (m.metric === 'waitMs.mean') return 'wait mean ms';
  return m.metric;
}

function value(x: number, unit: MetricUnit): string {
  return unit === 'rate' ? `${fixed(x * 100, 2)}%` : unit === 'ms' ? fixed(x, x >= 100 ? 0 : 1) : fixed(x, 2);
}

function delta(x: number, unit: MetricUnit): string {
  const s = unit === 'rate' ? `${fixed(x * 100, 2)}pp` : unit === 'ms' ? fixed(x, Math.abs(x) >= 100 ? 0 : 1) : fixed(x, 2);
  return Number(s.replace(/pp$/, '')) > 0 ? `+${s}` : s;
}

function interval(m: MetricComparison): string {
  if (m.ci95 === null) return '-';
  const [lo, hi] = m.ci95;
  const f = (x: number): string => (m.unit === 'rate' ? fixed(x * 100, 2) : fixed(x, m.unit === 'ms' && Math.max(Math.abs(lo), Math.abs(hi)) >= 100 ? 0 : m.unit === 'ms' ? 1 : 2));
  return `[${f(lo)}, ${f(hi)}]${m.unit === 'rate' ? 'pp' : ''}`;
}

/**
 * toFixed without a lone minus on a value that rounds to zero; a non-zero
 * value too small for `digits` gets two significant digits instead, so a
 * marked difference never reads as 0.00.
 */
function fixed(x: number, digits: number): string {
  let s = x.toFixed(digits);
  if (x !== 0 && Number(s) === 0) s = x.toFixed(Math.min(12, 1 - Math.floor(Math.log10(Math.abs(x)))));
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

function table(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i < 2 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}
