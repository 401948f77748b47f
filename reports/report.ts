/**
 * The Report: what a run concluded, as the JSON contract of DESIGN.md.
 * Everything except `run` is a function of the scenario and the seed. Counts
 * are totals over replications; rates are ratios of totals; each `ci95` holds
 * the 95 % interval of the per-replication value of the field it names.
 */
import type { HistogramSummary } from '../engine/index.ts';
import type { Ci95 } from './interval.ts';

/** A histogram's summary (merged over replications, ms rounded) and the intervals of its per-replication values. */
export interface LatencyReport extends HistogramSummary {
  ci95: { mean: Ci95; p50: Ci95; p95: Ci95; p99: Ci95 };
}

export interface StepReport {
  count: number;
  failed: number;
  latencyMs: LatencyReport;
}

export interface FlowReport {
  attempts: number;
  succeeded: number;
  failed: number;
  successRate: number;
  failureReasons: Record<string, number>;
  outcomes: Record<string, number>;
  warnings: Record<string, number>;
  latencyMs: LatencyReport;
  steps: Record<string, StepReport>;
  ci95: { successRate: Ci95 };
}

export interface NodeReport {
  kind: string;
  country: string;
  capacity: number;
  served: number;
  utilisation: number;
  availability: number;
  waitMs: LatencyReport;
  ci95: { utilisation: Ci95; availability: Ci95 };
}

export interface SecurityReport {
  /** Distinct patients whose records an attacker could read (summed over replications). */
  recordsExposed: number;
  consentViolations: number;
  revocationLagMs: LatencyReport;
  doubleDispensations: number;
  auditGaps: number;
  breakGlassAccesses: number;
  abuseAlerts: number;
  /** Compromise to containment, per breach. */
  exposureWindowMs: LatencyReport;
  ci95: { recordsExposed: Ci95; consentViolations: Ci95; doubleDispensations: Ci95; auditGaps: Ci95 };
}

export interface IotReport {
  devices: number;
  readingsGenerated: number;
  readingsDelivered: number;
  readingsLost: number;
  readingsExfiltrated: number;
  personalFieldsCrossed: number;
  alerts: number;
  alertLatencyMs: LatencyReport;
}

export interface FaultReport {
  kind: string;
  target: string;
  /** Windows opened, summed over replications. */
  windows: number;
  /** Mean active time per replication, ms. */
  activeMs: number;
}

export interface ReportMeta {
  scenario: string;
  description: string;
  seed: number;
  replications: number;
  durationMs: number;
  startDate: string;
  patients: number;
  version: string;
  deterministic: boolean;
  specHash: string;
  traceHash?: string;
  policies: unknown;
  /** The faults as specified (kind, target, schedule, parameters). */
  faultSpecs?: unknown;
  assumptions: Record<string, number>;
}

export interface RunInfo {
  scenarioFile: string;
  workers: number;
  startedAt: string;
  wallMs: number;
  events: number;
  eventsPerSec: number;
  partial: boolean;
  replicationsDone: number;
}

export interface Report {
  meta: ReportMeta;
  run: RunInfo;
  flows: Record<string, FlowReport>;
  nodes: Record<string, NodeReport>;
  security: SecurityReport;
  iot: IotReport;
  /** The scenario's faults, in declaration order. */
  faults: Record<string, FaultReport>;
}
