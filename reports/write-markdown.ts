/**
 * The Report as Markdown for a policy memo: what was simulated, how often each
 * flow worked (with its 95 % interval), why it failed (OpenNCP meaning), which
 * nodes were busiest, security, IoT, faults and thresholds. Leaves out `run`, so the
 * same scenario and seed give the same text. Table cells escape `|`.
 */
import { REASON_INFO } from '../agents/reasons.ts';
import type { Ci95 } from './interval.ts';
import type { FlowReport, LatencyReport } from './report.ts';
import type { ReportWithThresholds } from './thresholds.ts';

const TOP_NODES = 10;

export function reportMarkdown(report: ReportWithThresholds): string {
  const out: string[] = [];
  const m = report.meta;
  out.push(`# ${inline(m.scenario)}`, '');
  if (m.description !== '') out.push(inline(m.description), '');
  out.push(
    [
      `Seed ${m.seed}`,
      `${m.replications} replication${m.replications === 1 ? '' : 's'}`,
      `${int(m.patients)} patients`,
      `${span(m.durationMs)} from ${m.startDate}`,
      `spec \`${m.specHash}\``,
      `pitsim ${m.version}`,
    ].join(' · '),
    '',
  );
  if (report.run.partial) out.push(`> **Partial run:** ${report.run.replicationsDone} of the planned replications finished; the figures cover those only.`, '');
  if (!m.deterministic) out.push('> **Not reproducible:** this run used live endpoints; the same seed may give other figures.', '');
  out.push('Counts are totals over all replications. A 95 % CI is a Student t interval over the per-replication values (none with one replication). Latencies are in ms.', '');

  const flows = Object.entries(report.flows);
  const active = flows.filter(([, f]) => f.attempts > 0);
  const idle = flows.filter(([, f]) => f.attempts === 0).map(([n]) => n);
  out.push('## Flows', '');
  if (active.length === 0) out.push('No flow was attempted.', '');
  else {
    out.push(
      ...table(
        ['Flow', 'Attempts', 'Succeeded', 'Success rate', '95 % CI', 'p50 ms', 'p95 ms', 'p99 ms'],
        'lrrrrrrr',
        active.map(([n, f]) => [n, int(f.attempts), int(f.succeeded), pct(f.successRate), ciPct(f.ci95.successRate), ...lat(f.latencyMs, ['p50', 'p95', 'p99'])]),
      ),
      '',
    );
  }
  if (idle.length > 0) out.push(`Not exercised in this scenario: ${idle.join(', ')}.`, '');

  const detailed = active.filter(([, f]) => Object.keys(f.failureReasons).length + Object.keys(f.warnings).length + Object.keys(f.outcomes).length > 0);
  if (detailed.length > 0) {
    out.push('## Failures and outcomes', '');
    for (const [name, f] of detailed) out.push(...flowDetail(name, f));
  }

  const steps = active.flatMap(([n, f]) => Object.entries(f.steps).map(([s, st]) => [n, s, int(st.count), int(st.failed), ...lat(st.latencyMs, ['p50', 'p95', 'p99'])]));
  if (steps.length > 0) {
    out.push('## Protocol steps', '');
    out.push(...table(['Flow', 'Step', 'Count', 'Failed', 'p50 ms', 'p95 ms', 'p99 ms'], 'llrrrrr', steps), '');
  }

  const nodes = Object.entries(report.nodes);
  if (nodes.length > 0) {
    const top = [...nodes].sort((a, b) => b[1].utilisation - a[1].utilisation || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_NODES);
    out.push('## Busiest nodes', '');
    out.push(top.length === nodes.length ? `All ${nodes.length} nodes, by utilisation.` : `The ${top.length} busiest of ${nodes.length} nodes, by utilisation.`, '');
    out.push(
      ...table(
        ['Node', 'Kind', 'Country', 'Utilisation', '95 % CI', 'Availability', 'Wait p95 ms', 'Served'],
        'lllrrrrr',
        top.map(([id, n]) => [id, n.kind, n.country, pct(n.utilisation), ciPct(n.ci95.utilisation), pct(n.availability), ...lat(n.waitMs, ['p95']), int(n.served)]),
      ),
      '',
    );
  }

  const s = report.security;
  out.push('## Security', '');
  out.push(
    ...table(['Metric', 'Total', 'Per replication, 95 % CI'], 'lrr', [
      ['Records exposed (distinct patients)', int(s.recordsExposed), ciNum(s.ci95.recordsExposed)],
      ['Consent violations', int(s.consentViolations), ciNum(s.ci95.consentViolations)],
      ['Double dispensations', int(s.doubleDispensations), ciNum(s.ci95.doubleDispensations)],
      ['Audit gaps', int(s.auditGaps), ciNum(s.ci95.auditGaps)],
      ['Break-glass emergency accesses', int(s.breakGlassAccesses), '–'],
      ['Abuse alerts', int(s.abuseAlerts), '–'],
    ]),
    '',
  );
  if (s.revocationLagMs.count > 0) out.push(`Consent revocation lag: ${latencyLine(s.revocationLagMs)}.`, '');
  if (s.exposureWindowMs.count > 0) out.push(`Breach exposure window (compromise to containment): ${latencyLine(s.exposureWindowMs)}.`, '');

  const iot = report.iot;
  out.push('## IoT', '');
  if (iot.devices === 0 && iot.readingsGenerated === 0) out.push('No connected devices in this scenario.', '');
  else {
    const of = (x: number): string => (iot.readingsGenerated > 0 ? ` (${pct(x / iot.readingsGenerated)})` : '');
    out.push(
      `${int(iot.devices)} devices generated ${int(iot.readingsGenerated)} readings: ${int(iot.readingsDelivered)} delivered${of(iot.readingsDelivered)}, ${int(iot.readingsLost)} lost${of(iot.readingsLost)}, ${int(iot.readingsExfiltrated)} exfiltrated${of(iot.readingsExfiltrated)}.`,
      '',
      `${int(iot.alerts)} alerts raised; ${int(iot.personalFieldsCrossed)} personal fields crossed a border beyond need (data minimisation).`,
      '',
    );
    if (iot.alertLatencyMs.count > 0) out.push(`Alert latency: ${latencyLine(iot.alertLatencyMs)}.`, '');
  }

  const faults = Object.entries(report.faults);
  if (faults.length > 0) {
    out.push('## Faults', '');
    out.push(
      ...table(['Fault', 'Kind', 'Target', 'Windows', 'Mean active time per replication'], 'lllrr', faults.map(([id, f]) => [id, f.kind, f.target, int(f.windows), duration(f.activeMs)])),
      '',
    );
  }

  const th = report.thresholds;
  if (th !== undefined && th.length > 0) {
    const failed = th.filter((t) => !t.ok).length;
    out.push('## Thresholds', '');
    out.push(failed === 0 ? `All ${th.length} thresholds hold.` : `${failed} of ${th.length} threshold${th.length === 1 ? '' : 's'} failed.`, '');
    out.push(...table(['', 'Threshold', 'Actual', 'Result'], 'llrl', th.map((t) => [t.ok ? '✓' : '✗', `\`${t.expression}\``, t.actual === null ? 'missing' : String(t.actual), t.ok ? 'pass' : t.message])), '');
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function flowDetail(name: string, f: FlowReport): string[] {
  const out: string[] = [`### ${name}`, ''];
  const share = (v: number): string => pct(v / f.attempts);
  const byCount = (o: Readonly<Record<string, number>>): [string, number][] => Object.entries(o).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const reasons = byCount(f.failureReasons);
  if (reasons.length > 0) {
    out.push(
      ...table(
        ['Failure reason', 'OpenNCP code', 'Count', 'Share of attempts', 'Meaning'],
        'lrrrl',
        reasons.map(([r, v]) => [`\`${r}\``, code(r), int(v), share(v), REASON_INFO[r]?.meaning ?? 'not in the OpenNCP vocabulary']),
      ),
      '',
    );
  }
  const warnings = byCount(f.warnings);
  if (warnings.length > 0) {
    out.push('Warnings (the exchange still succeeded):', '');
    out.push(...table(['Warning', 'Count', 'Share of attempts', 'Meaning'], 'lrrl', warnings.map(([w, v]) => [`\`${w}\``, int(v), share(v), REASON_INFO[w]?.meaning ?? ''])), '');
  }
  const outcomes = byCount(f.outcomes);
  if (outcomes.length > 0) {
    out.push('Outcomes:', '');
    out.push(...table(['Outcome', 'Count', 'Share of attempts'], 'lrr', outcomes.map(([o, v]) => [o, int(v), share(v)])), '');
  }
  return out;
}

/** A GitHub-flavoured table; `align` has one letter (l or r) per column. */
function table(head: readonly string[], align: string, rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${[...align].map((a) => (a === 'r' ? ' --: ' : ' :-- ')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)];
}

/** Pipes would end the cell; line breaks would end the row. */
function escapeCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

/** Running text: one line, whatever the scenario author wrote. */
function inline(s: string): string {
  return s.replace(/\s*(\r?\n|\r)\s*/g, ' ');
}

function lat(l: LatencyReport, keys: readonly ('p50' | 'p95' | 'p99')[]): string[] {
  return keys.map((k) => (l.count === 0 ? '–' : ms(l[k])));
}

function latencyLine(l: LatencyReport): string {
  return `p50 ${ms(l.p50)} ms, p95 ${ms(l.p95)} ms, p99 ${ms(l.p99)} ms, max ${ms(l.max)} ms`;
}

function code(reason: string): string {
  const c = REASON_INFO[reason]?.code;
  return c === undefined || c === null ? '–' : String(c);
}

/** Thousands grouped with commas; fixed, not locale-dependent. */
function int(x: number): string {
  const s = String(Math.round(Math.abs(x)));
  return (x < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const ciPct = (c: Ci95): string => (c === null ? '–' : `${(c[0] * 100).toFixed(2)}–${(c[1] * 100).toFixed(2)}%`);
const ciNum = (c: Ci95): string => (c === null ? '–' : `${num(c[0])}–${num(c[1])}`);
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const duration = (x: number): string => (x >= 3_600_000 ? `${(x / 3_600_000).toFixed(1)} h` : x >= 60_000 ? `${(x / 60_000).toFixed(1)} min` : `${(x / 1000).toFixed(1)} s`);
const span = (msTotal: number): string => (msTotal % 86_400_000 === 0 ? `${msTotal / 86_400_000} days` : `${(msTotal / 3_600_000).toFixed(1)} hours`);
