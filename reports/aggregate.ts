/**
 * Builds the Report from replication results, merging them in replication
 * order (never completion order): counters add, histograms merge, and every
 * per-replication value feeds a mean and a 95 % interval. Numbers are rounded
 * (ms to the µs, rates to 1e-6) so the JSON is stable and readable.
 */
import { Histogram, type EncodedHistogram } from '../engine/index.ts';
import { FLOW_NAMES, STEP_NAMES } from '../agents/names.ts';
import type { FlowTally, ReplicationResult } from '../agents/result.ts';
import { ci95, mean, type Ci95 } from './interval.ts';
import type { FaultReport, FlowReport, LatencyReport, NodeReport, Report, ReportMeta, RunInfo, StepReport } from './report.ts';

export function aggregate(meta: Omit<ReportMeta, 'replications' | 'patients'>, run: RunInfo, results: readonly ReplicationResult[]): Report {
  const reps = [...results].sort((a, b) => a.index - b.index);
  const flows: Record<string, FlowReport> = {};
  for (const name of FLOW_NAMES) flows[name] = flowReport(reps.map((r) => r.flows[name]));

  const nodes: Record<string, NodeReport> = {};
  const ids = new Set<string>();
  for (const r of reps) for (const id of Object.keys(r.nodes)) ids.add(id);
  for (const id of [...ids].sort()) {
    const tallies = reps.map((r) => r.nodes[id]).filter((t) => t !== undefined);
    const first = tallies[0]!;
    const util = tallies.map((t) => t.utilisation);
    const avail = tallies.map((t) => t.availability);
    nodes[id] = {
      kind: first.kind,
      country: first.country,
      capacity: first.capacity,
      served: sum(tallies.map((t) => t.served)),
      utilisation: rate(mean(util)),
      availability: rate(mean(avail)),
      waitMs: latency(tallies.map((t) => t.wait)),
      ci95: { utilisation: roundCi(clamp01(ci95(util)), rate), availability: roundCi(clamp01(ci95(avail)), rate) },
    };
  }

  const sec = reps.map((r) => r.security);
  const perRep = (f: (s: (typeof sec)[number]) => number): Ci95 => roundCi(ci95(sec.map(f)), rate);
  return {
    meta: { ...meta, replications: reps.length, patients: sum(reps.map((r) => r.patients)) },
    run,
    flows,
    nodes,
    security: {
      recordsExposed: sum(sec.map((s) => s.recordsExposed)),
      consentViolations: sum(sec.map((s) => s.consentViolations)),
      revocationLagMs: latency(sec.map((s) => s.revocationLag)),
      doubleDispensations: sum(sec.map((s) => s.doubleDispensations)),
      auditGaps: sum(sec.map((s) => s.auditGaps)),
      breakGlassAccesses: sum(sec.map((s) => s.breakGlassAccesses)),
      abuseAlerts: sum(sec.map((s) => s.abuseAlerts)),
      exposureWindowMs: latency(sec.map((s) => s.exposureWindow)),
      ci95: {
        recordsExposed: perRep((s) => s.recordsExposed),
        consentViolations: perRep((s) => s.consentViolations),
        doubleDispensations: perRep((s) => s.doubleDispensations),
        auditGaps: perRep((s) => s.auditGaps),
      },
    },
    iot: {
      devices: sum(reps.map((r) => r.iot.devices)),
      readingsGenerated: sum(reps.map((r) => r.iot.readingsGenerated)),
      readingsDelivered: sum(reps.map((r) => r.iot.readingsDelivered)),
      readingsLost: sum(reps.map((r) => r.iot.readingsLost)),
      readingsExfiltrated: sum(reps.map((r) => r.iot.readingsExfiltrated)),
      personalFieldsCrossed: sum(reps.map((r) => r.iot.personalFieldsCrossed)),
      alerts: sum(reps.map((r) => r.iot.alerts)),
      alertLatencyMs: latency(reps.map((r) => r.iot.alertLatency)),
    },
    faults: faultReports(reps),
  };
}

function faultReports(reps: readonly ReplicationResult[]): Record<string, FaultReport> {
  const out: Record<string, FaultReport> = {};
  const first = reps[0];
  if (first === undefined) return out;
  for (const id of Object.keys(first.faults)) {
    const per = reps.map((r) => r.faults[id]).filter((f) => f !== undefined);
    out[id] = { kind: first.faults[id]!.kind, target: first.faults[id]!.target, windows: sum(per.map((f) => f.windows)), activeMs: ms(mean(per.map((f) => f.activeMs))) };
  }
  return out;
}

function flowReport(tallies: readonly FlowTally[]): FlowReport {
  const attempts = sum(tallies.map((t) => t.attempts));
  const succeeded = sum(tallies.map((t) => t.succeeded));
  const steps: Record<string, StepReport> = {};
  for (const s of STEP_NAMES) {
    const per = tallies.map((t) => t.steps[s]).filter((x) => x !== undefined);
    if (per.length === 0) continue;
    steps[s] = { count: sum(per.map((x) => x.count)), failed: sum(per.map((x) => x.failed)), latencyMs: latency(per.map((x) => x.latency)) };
  }
  const rates = tallies.filter((t) => t.attempts > 0).map((t) => t.succeeded / t.attempts);
  return {
    attempts,
    succeeded,
    failed: sum(tallies.map((t) => t.failed)),
    successRate: attempts > 0 ? rate(succeeded / attempts) : 0,
    failureReasons: mergeCounts(tallies.map((t) => t.failureReasons)),
    outcomes: mergeCounts(tallies.map((t) => t.outcomes)),
    warnings: mergeCounts(tallies.map((t) => t.warnings)),
    latencyMs: latency(tallies.map((t) => t.latency)),
    steps,
    ci95: { successRate: roundCi(clamp01(ci95(rates)), rate) },
  };
}

/** Merged percentiles plus intervals of the per-replication mean and percentiles. */
function latency(encoded: readonly EncodedHistogram[]): LatencyReport {
  const merged = new Histogram();
  const means: number[] = [];
  const p50s: number[] = [];
  const p95s: number[] = [];
  const p99s: number[] = [];
  for (const e of encoded) {
    if (e.count === 0) continue;
    const h = Histogram.decode(e);
    merged.merge(h);
    means.push(h.mean);
    p50s.push(h.percentile(50));
    p95s.push(h.percentile(95));
    p99s.push(h.percentile(99));
  }
  const s = merged.summary();
  return {
    count: s.count,
    mean: ms(s.mean),
    p50: ms(s.p50),
    p90: ms(s.p90),
    p95: ms(s.p95),
    p99: ms(s.p99),
    max: ms(s.max),
    ci95: { mean: roundCi(ci95(means), ms), p50: roundCi(ci95(p50s), ms), p95: roundCi(ci95(p95s), ms), p99: roundCi(ci95(p99s), ms) },
  };
}

function mergeCounts(maps: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const acc = new Map<string, number>();
  for (const m of maps) for (const [k, v] of Object.entries(m)) acc.set(k, (acc.get(k) ?? 0) + v);
  const out: Record<string, number> = {};
  for (const k of [...acc.keys()].sort()) out[k] = acc.get(k)!;
  return out;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

const ms = (x: number): number => Math.round(x * 1000) / 1000;
const rate = (x: number): number => Math.round(x * 1e6) / 1e6;
/** A share's interval cannot leave [0, 1], whatever the t approximation says. */
function clamp01(c: Ci95): Ci95 {
  return c === null ? null : [Math.max(0, c[0]), Math.min(1, c[1])];
}

function roundCi(c: Ci95, f: (x: number) => number): Ci95 {
  return c === null ? null : [f(c[0]), f(c[1])];
}
