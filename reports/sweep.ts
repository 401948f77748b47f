/**
 * Parameter sweeps: the grid of points (cartesian product of the values, in
 * the order given), one row of headline metrics per point's Report, and that
 * table as plain text and as CSV. Rows of different points may have different
 * columns (a flow with no attempts at one point): text and CSV use their union.
 */
import { csvFormatBody, csvFormatRows } from 'd3-dsv';
import type { Report } from './report.ts';
import { csvCell } from './compare-text.ts';

export interface SweepParam {
  /** A `--set` path, e.g. `policies.retries.max`. */
  readonly key: string;
  readonly values: readonly string[];
}

/** One grid point: key -> value, keys in the order of the params. */
export type SweepPoint = Record<string, string>;
export type SweepRow = Record<string, number | string>;

/** Every combination; the first param varies slowest, values in the order given. No params: one empty point. */
export function sweepGrid(params: readonly SweepParam[]): SweepPoint[] {
  let points: SweepPoint[] = [{}];
  for (const p of params) points = points.flatMap((pt) => p.values.map((v) => ({ ...pt, [p.key]: v })));
  return points;
}

/**
 * The point's values (numbers where the text is a plain number), then per flow
 * with attempts: success rate, its 95 % interval and p95 latency; the busiest
 * node; every security counter (totals over replications).
 */
export function sweepRow(point: Readonly<SweepPoint>, report: Report): SweepRow {
  const row: SweepRow = {};
  for (const [k, v] of Object.entries(point)) row[k] = v.trim() !== '' && String(Number(v)) === v ? Number(v) : v;
  for (const [name, f] of Object.entries(report.flows)) {
    if (f.attempts === 0) continue;
    row[`${name}.successRate`] = f.successRate;
    row[`${name}.successRate.ci95Low`] = f.ci95.successRate?.[0] ?? '';
    row[`${name}.successRate.ci95High`] = f.ci95.successRate?.[1] ?? '';
    // No successful attempt, no latency: a blank, not 0 ms.
    row[`${name}.latencyMs.p95`] = f.latencyMs.count > 0 ? f.latencyMs.p95 : '';
  }
  let busiest: [string, number] | undefined;
  for (const [id, n] of Object.entries(report.nodes)) if (busiest === undefined || n.utilisation > busiest[1]) busiest = [id, n.utilisation];
  if (busiest !== undefined) {
    row['nodes.maxUtilisation'] = busiest[1];
    row['nodes.busiest'] = busiest[0];
  }
  // Every numeric field of the security report is a counter (its intervals and lags are objects).
  for (const [k, v] of Object.entries(report.security)) if (typeof v === 'number') row[`security.${k}`] = v;
  return row;
}

/** Fixed-width table, one line per point; rates in %, the interval in one cell. */
export function sweepText(rows: readonly SweepRow[]): string {
  const cols = columns(rows).filter((c) => !c.endsWith('.ci95High'));
  const lines: string[][] = [cols.map(header)];
  for (const r of rows) lines.push(cols.map((c) => cell(c, r)));
  const widths: number[] = [];
  for (const l of lines) l.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return lines.map((l) => l.map((c, i) => c.padStart(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function sweepCsv(rows: readonly SweepRow[]): string {
  const cols = columns(rows);
  const safe = rows.map((r) => {
    const o: Record<string, number | string> = {};
    for (const c of cols) {
      const v = r[c];
      o[c] = v === undefined ? '' : typeof v === 'string' ? csvCell(v) : v;
    }
    return o;
  });
  // The header is data too: a param key could start with `-` or `=`.
  const head = csvFormatRows([cols.map(csvCell)]);
  return rows.length === 0 ? head + '\n' : `${head}\n${csvFormatBody(safe, cols)}\n`;
}

/** Union of the rows' keys in first-seen order. */
function columns(rows: readonly SweepRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

function header(c: string): string {
  const flow = /^(\w+)\.(successRate|successRate\.ci95Low|latencyMs\.p95)$/.exec(c);
  if (flow !== null) return flow[2] === 'successRate' ? `${flow[1]} ok` : flow[2] === 'latencyMs.p95' ? 'p95 ms' : '95% CI';
  const fixed: Record<string, string> = {
    'nodes.maxUtilisation': 'max util',
    'nodes.busiest': 'busiest node',
    'security.recordsExposed': 'exposed',
    'security.consentViolations': 'consent viol.',
    'security.doubleDispensations': 'double disp.',
    'security.auditGaps': 'audit gaps',
    'security.breakGlassAccesses': 'break-glass',
    'security.abuseAlerts': 'abuse alerts',
  };
  return fixed[c] ?? c.replace(/^security\./, '');
}

function cell(c: string, r: SweepRow): string {
  const v = r[c];
  if (v === undefined || v === '') return '-';
  if (typeof v === 'string') return v;
  if (c.endsWith('.successRate') || c === 'nodes.maxUtilisation') return pct(v);
  if (c.endsWith('.ci95Low')) {
    const hi = r[c.replace(/Low$/, 'High')];
    return typeof hi === 'number' ? `${(v * 100).toFixed(2)}-${pct(hi)}` : '-';
  }
  if (c.endsWith('.latencyMs.p95')) return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  return String(v);
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
