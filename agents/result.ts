/**
 * ReplicationResult: what one replication hands back. Small and mergeable
 * (counters add, histograms merge), never a list of events, JSON-serialisable
 * (it crosses worker threads and machines). Records have sorted keys.
 */
import type { EncodedHistogram } from '../engine/index.ts';
import type { FlowName, NodeKind, StepName } from './names.ts';

export interface StepTally {
  /** Times the step completed, successfully or not. */
  readonly count: number;
  readonly failed: number;
  /** Latency of the successful completions, ms. */
  readonly latency: EncodedHistogram;
}

export interface FlowTally {
  readonly attempts: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failureReasons: Readonly<Record<string, number>>;
  /** What people did in the end (e.g. dispensed, payPrivately, treatedWithoutSummary). */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly warnings: Readonly<Record<string, number>>;
  /** End-to-end latency of successful attempts, ms. */
  readonly latency: EncodedHistogram;
  readonly steps: Readonly<Partial<Record<StepName, StepTally>>>;
}

export interface NodeTally {
  readonly kind: NodeKind;
  readonly country: string;
  readonly capacity: number;
  readonly served: number;
  /** Time-average share of capacity busy. */
  readonly utilisation: number;
  /** Share of the run the node was up. */
  readonly availability: number;
  /** Queue wait before service, ms. */
  readonly wait: EncodedHistogram;
}

export interface SecurityTally {
  /** Distinct patients whose records an attacker could read. */
  readonly recordsExposed: number;
  readonly consentViolations: number;
  readonly revocationLag: EncodedHistogram;
  readonly doubleDispensations: number;
  readonly auditGaps: number;
  /** Emergency accesses without consent (purpose EMERGENCY), each audited. */
  readonly breakGlassAccesses: number;
  /** OpenNCP abuse-detection alerts (too many requests per patient or point of care). */
  readonly abuseAlerts: number;
  /** Compromise to containment, per breach. */
  readonly exposureWindow: EncodedHistogram;
}

export interface IotTally {
  readonly devices: number;
  readonly readingsGenerated: number;
  readonly readingsDelivered: number;
  readonly readingsLost: number;
  readonly readingsExfiltrated: number;
  /** Personal-data fields that crossed a border (readings x fields sent). */
  readonly personalFieldsCrossed: number;
  readonly alerts: number;
  /** From the critical event to the alert reaching the home platform. */
  readonly alertLatency: EncodedHistogram;
}

/** One fault's active windows in a replication. */
export interface FaultTally {
  readonly kind: string;
  readonly target: string;
  readonly windows: number;
  readonly activeMs: number;
}

export interface ReplicationResult {
  readonly index: number;
  /** Seed path of the replication stream, to reproduce it alone. */
  readonly streamPath: string;
  readonly patients: number;
  readonly events: number;
  readonly simEndMs: number;
  readonly flows: Readonly<Record<FlowName, FlowTally>>;
  readonly nodes: Readonly<Record<string, NodeTally>>;
  readonly security: SecurityTally;
  readonly iot: IotTally;
  /** Per fault id, in declaration order. */
  readonly faults: Readonly<Record<string, FaultTally>>;
}
