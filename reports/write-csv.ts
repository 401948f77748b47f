/**
 * The Report as CSV tables for spreadsheets, R and pandas: one file per table
 * (file name -> content), RFC 4180 quoting by d3-dsv, LF line ends, a trailing
 * newline. Columns are fixed and snake_case with the unit in the name; rows
 * follow the Report's order. An empty cell means "no data" (no samples, no
 * attempts, no interval with one replication), never zero. String cells that a
 * spreadsheet would run as a formula get a leading `'`; numbers stay numeric.
 */
import { csvFormatRows } from 'd3-dsv';
import type { Ci95 } from './interval.ts';
import type { LatencyReport, Report } from './report.ts';
import type { ReportWithThresholds } from './thresholds.ts';

type Cell = string | number | boolean | null;

const LATENCY_COLUMNS = ['count', 'mean_ms', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'max_ms'] as const;
const latencyColumns = (prefix: string): string[] => LATENCY_COLUMNS.map((c) => `${prefix}_${c}`);

/** File name -> CSV text, in a fixed order; `thresholds.csv` only when the Report carries thresholds. */
export function reportCsv(report: ReportWithThresholds): Record<string, string> {
  const out: Record<string, string> = {
    'flows.csv': table(
      ['flow', 'attempts', 'succeeded', 'failed', 'success_rate', 'success_rate_ci95_lo', 'success_rate_ci95_hi', ...latencyColumns('latency')],
      Object.entries(report.flows).map(([name, f]) => [name, f.attempts, f.succeeded, f.failed, f.attempts > 0 ? f.successRate : null, ...bounds(f.ci95.successRate), ...latencyCells(f.latencyMs)]),
    ),
    'steps.csv': table(
      ['flow', 'step', 'count', 'failed', ...latencyColumns('latency')],
      Object.entries(report.flows).flatMap(([name, f]) => Object.entries(f.steps).map(([step, s]) => [name, step, s.count, s.failed, ...latencyCells(s.latencyMs)])),
    ),
    'failure-reasons.csv': counts(report, 'reason', (f) => f.failureReasons),
    'outcomes.csv': counts(report, 'outcome', (f) => f.outcomes),
    'warnings.csv': counts(report, 'warning', (f) => f.warnings),
    'nodes.csv': table(
      ['id', 'kind', 'country', 'capacity', 'served', 'utilisation', 'utilisation_ci95_lo', 'utilisation_ci95_hi', 'availability', 'availability_ci95_lo', 'availability_ci95_hi', ...latencyColumns('wait')],
      Object.entries(report.nodes).map(([id, n]) => [
        id,
        n.kind,
        n.country,
        n.capacity,
        n.served,
        n.utilisation,
        ...bounds(n.ci95.utilisation),
        n.availability,
        ...bounds(n.ci95.availability),
        ...latencyCells(n.waitMs),
      ]),
    ),
    'security.csv': table(['metric', 'value', 'ci95_lo', 'ci95_hi'], [
      ['recordsExposed', report.security.recordsExposed, ...bounds(report.security.ci95.recordsExposed)],
      ['consentViolations', report.security.consentViolations, ...bounds(report.security.ci95.consentViolations)],
      ['doubleDispensations', report.security.doubleDispensations, ...bounds(report.security.ci95.doubleDispensations)],
      ['auditGaps', report.security.auditGaps, ...bounds(report.security.ci95.auditGaps)],
      ['breakGlassAccesses', report.security.breakGlassAccesses, null, null],
      ['abuseAlerts', report.security.abuseAlerts, null, null],
      ...latencyMetricRows('revocationLagMs', report.security.revocationLagMs),
      ...latencyMetricRows('exposureWindowMs', report.security.exposureWindowMs),
    ]),
    'iot.csv': table(['metric', 'value', 'ci95_lo', 'ci95_hi'], [
      ['devices', report.iot.devices, null, null],
      ['readingsGenerated', report.iot.readingsGenerated, null, null],
      ['readingsDelivered', report.iot.readingsDelivered, null, null],
      ['readingsLost', report.iot.readingsLost, null, null],
      ['readingsExfiltrated', report.iot.readingsExfiltrated, null, null],
      ['personalFieldsCrossed', report.iot.personalFieldsCrossed, null, null],
      ['alerts', report.iot.alerts, null, null],
      ...latencyMetricRows('alertLatencyMs', report.iot.alertLatencyMs),
    ]),
    'faults.csv': table(
      ['id', 'kind', 'target', 'windows', 'active_ms'],
      Object.entries(report.faults).map(([id, f]) => [id, f.kind, f.target, f.windows, f.activeMs]),
    ),
  };
  if (report.thresholds !== undefined) {
    out['thresholds.csv'] = table(
      ['expression', 'actual', 'ok', 'message'],
      report.thresholds.map((t) => [t.expression, t.actual, t.ok, t.message]),
    );
  }
  return out;
}

/**
 * OWASP CSV injection: a cell starting with = + - @ tab or CR is a formula to
 * Excel, LibreOffice and Sheets; a leading `'` makes it text. Strings only.
 */
export function neutraliseFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function table(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return csvFormatRows([columns.map(neutraliseFormula), ...rows.map((r) => r.map(cell))]) + '\n';
}

function cell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'string') return neutraliseFormula(c);
  if (typeof c === 'boolean') return String(c);
  return Number.isFinite(c) ? String(c) : '';
}

function counts(report: Report, what: string, pick: (f: Report['flows'][string]) => Readonly<Record<string, number>>): string {
  return table(
    ['flow', what, 'count', 'share'],
    Object.entries(report.flows).flatMap(([name, f]) => Object.entries(pick(f)).map(([k, v]) => [name, k, v, f.attempts > 0 ? rate(v / f.attempts) : null])),
  );
}

function latencyCells(l: LatencyReport): Cell[] {
  if (l.count === 0) return [0, null, null, null, null, null, null];
  return [l.count, l.mean, l.p50, l.p90, l.p95, l.p99, l.max];
}

/** `name.count`, `name.mean`, ... as metric rows, with the interval where the Report has one. */
function latencyMetricRows(name: string, l: LatencyReport): Cell[][] {
  const v = latencyCells(l);
  const ci: Record<string, Ci95> = { mean: l.ci95.mean, p50: l.ci95.p50, p95: l.ci95.p95, p99: l.ci95.p99 };
  return ['count', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'].map((k, i) => [`${name}.${k}`, v[i] ?? null, ...bounds(ci[k] ?? null)]);
}

function bounds(c: Ci95): [number | null, number | null] {
  return c === null ? [null, null] : [c[0], c[1]];
}

const rate = (x: number): number => Math.round(x * 1e6) / 1e6;
