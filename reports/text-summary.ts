/**
 * The plain-text summary of a Report: what `pitsim run` prints without --json,
 * in a pipe or in CI. Fixed-width tables, no colour, no terminal control codes;
 * a pure function from Report to string.
 */
import type { LatencyReport } from './report.ts';
import type { Ci95 } from './interval.ts';
import type { ReportWithThresholds } from './thresholds.ts';

export function textSummary(r: ReportWithThresholds): string {
  const out: string[] = [];
  const m = r.meta;
  out.push(`${m.scenario}: seed ${m.seed}, ${m.replications} replication${m.replications === 1 ? '' : 's'}, ${m.patients} patients, ${days(m.durationMs)} from ${m.startDate}`);
  out.push(`${r.run.events} events in ${(r.run.wallMs / 1000).toFixed(2)} s (${fmtRate(r.run.eventsPerSec)} events/s) on ${r.run.workers} worker${r.run.workers === 1 ? '' : 's'}${r.run.partial ? ' (PARTIAL)' : ''}`);
  out.push('');
  out.push('Flows');
  const rows: string[][] = [['flow', 'attempts', 'ok', 'success', '95% CI', 'p50 ms', 'p95 ms', 'p99 ms']];
  for (const [name, f] of Object.entries(r.flows)) {
    if (f.attempts === 0) continue;
    rows.push([name, String(f.attempts), String(f.succeeded), pct(f.successRate), ciPct(f.ci95.successRate), n(f.latencyMs.p50), n(f.latencyMs.p95), n(f.latencyMs.p99)]);
  }
  out.push(...table(rows));
  for (const [name, f] of Object.entries(r.flows)) {
    const reasons = Object.entries(f.failureReasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (reasons.length > 0) {
      out.push('');
      out.push(`Failures, ${name}`);
      out.push(...table(reasons.map(([k, v]) => [k, String(v), pct(v / f.attempts)])));
    }
  }
  const steps: string[][] = [['flow', 'step', 'count', 'failed', 'p50 ms', 'p95 ms']];
  for (const [name, f] of Object.entries(r.flows)) {
    for (const [s, st] of Object.entries(f.steps)) steps.push([name, s, String(st.count), String(st.failed), n(st.latencyMs.p50), n(st.latencyMs.p95)]);
  }
  if (steps.length > 1) {
    out.push('');
    out.push('Protocol steps');
    out.push(...table(steps));
  }
  const busiest = Object.entries(r.nodes)
    .sort((a, b) => b[1].utilisation - a[1].utilisation || (a[0] < b[0] ? -1 : 1))
    .slice(0, 8);
  if (busiest.length > 0) {
    out.push('');
    out.push('Busiest nodes');
    out.push(...table([['node', 'utilisation', 'wait p95 ms', 'served'], ...busiest.map(([id, nd]) => [id, pct(nd.utilisation), n(nd.waitMs.p95), String(nd.served)])]));
  }
  const s = r.security;
  out.push('');
  out.push(`Security: ${s.recordsExposed} patients exposed, ${s.consentViolations} consent violations, ${s.doubleDispensations} double dispensations, ${s.auditGaps} audit gaps`);
  out.push(`          ${s.breakGlassAccesses} break-glass accesses, ${s.abuseAlerts} abuse alerts, revocation lag p95 ${n(s.revocationLagMs.p95)} ms, exposure window p50 ${days(s.exposureWindowMs.p50)}`);
  const iot = r.iot;
  if (iot.devices > 0) {
    out.push(`IoT: ${iot.devices} devices, ${iot.readingsGenerated} readings, ${iot.readingsDelivered} delivered, ${iot.readingsLost} lost, ${iot.readingsExfiltrated} exfiltrated; ${iot.alerts} alerts, latency p95 ${days(iot.alertLatencyMs.p95)}; ${iot.personalFieldsCrossed} personal-data fields crossed a border`);
  }
  const faults = Object.entries(r.faults);
  if (faults.length > 0) {
    out.push('');
    out.push('Faults');
    out.push(...table(faults.map(([id, f]) => [id, f.kind, f.target, `${f.windows} windows`, `active ${days(f.activeMs)} per replication`])));
  }
  if (r.thresholds !== undefined && r.thresholds.length > 0) {
    out.push('');
    out.push('Thresholds');
    for (const t of r.thresholds) out.push(`  ${t.ok ? 'ok    ' : 'FAILED'}  ${t.expression}  (actual ${t.actual === null ? 'missing' : t.actual})`);
  }
  return out.join('\n') + '\n';
}

export function latencyLine(l: LatencyReport): string {
  return `p50 ${n(l.p50)} ms, p95 ${n(l.p95)} ms, p99 ${n(l.p99)} ms, max ${n(l.max)} ms`;
}

function table(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i === 0 || (i === 1 && !/^\d/.test(c)) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}

const n = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const ciPct = (c: Ci95): string => (c === null ? '-' : `${(c[0] * 100).toFixed(2)}-${(c[1] * 100).toFixed(2)}%`);
const days = (ms: number): string => (ms > 0 && ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${(ms / 1000).toFixed(1)} s`);
const fmtRate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
