/**
 * Recorders: the mutable tallies a replication fills while it runs, and their
 * encoding into a ReplicationResult. Maps are encoded with sorted keys and
 * flows and steps in canonical order, so results never depend on which
 * failure happened first.
 */
import { Histogram } from '../engine/index.ts';
import { FLOW_NAMES, STEP_NAMES, type FlowName, type StepName } from './names.ts';
import type { FlowTally, SecurityTally, StepTally } from './result.ts';

export class StepRecorder {
  count = 0;
  failed = 0;
  readonly latency = new Histogram();

  ok(ms: number): void {
    this.count++;
    this.latency.record(ms);
  }

  fail(): void {
    this.count++;
    this.failed++;
  }

  encode(): StepTally {
    return { count: this.count, failed: this.failed, latency: this.latency.encode() };
  }
}

export class FlowRecorder {
  attempts = 0;
  succeeded = 0;
  failed = 0;
  readonly latency = new Histogram();
  private readonly reasons = new Map<string, number>();
  private readonly outcomes = new Map<string, number>();
  private readonly warnings = new Map<string, number>();
  private readonly steps = new Map<StepName, StepRecorder>();

  step(name: StepName): StepRecorder {
    let s = this.steps.get(name);
    if (s === undefined) {
      s = new StepRecorder();
      this.steps.set(name, s);
    }
    return s;
  }

  start(): void {
    this.attempts++;
  }

  success(latencyMs: number): void {
    this.succeeded++;
    this.latency.record(latencyMs);
  }

  /** Success without a cross-border retrieval (a fallback such as the wallet): no latency recorded. */
  fallbackSuccess(): void {
    this.succeeded++;
  }

  failure(reason: string): void {
    this.failed++;
    bump(this.reasons, reason);
  }

  outcome(name: string): void {
    bump(this.outcomes, name);
  }

  warning(code: string): void {
    bump(this.warnings, code);
  }

  encode(): FlowTally {
    const steps: Partial<Record<StepName, StepTally>> = {};
    for (const name of STEP_NAMES) {
      const s = this.steps.get(name);
      if (s !== undefined) steps[name] = s.encode();
    }
    return {
      attempts: this.attempts,
      succeeded: this.succeeded,
      failed: this.failed,
      failureReasons: sorted(this.reasons),
      outcomes: sorted(this.outcomes),
      warnings: sorted(this.warnings),
      latency: this.latency.encode(),
      steps,
    };
  }
}

export class SecurityRecorder {
  readonly exposedPatients = new Set<string>();
  consentViolations = 0;
  readonly revocationLag = new Histogram();
  doubleDispensations = 0;
  auditGaps = 0;
  breakGlassAccesses = 0;
  abuseAlerts = 0;
  readonly exposureWindow = new Histogram();

  /** An attacker could read this patient's records. */
  expose(patientId: string): void {
    this.exposedPatients.add(patientId);
  }

  encode(): SecurityTally {
    return {
      recordsExposed: this.exposedPatients.size,
      consentViolations: this.consentViolations,
      revocationLag: this.revocationLag.encode(),
      doubleDispensations: this.doubleDispensations,
      auditGaps: this.auditGaps,
      breakGlassAccesses: this.breakGlassAccesses,
      abuseAlerts: this.abuseAlerts,
      exposureWindow: this.exposureWindow.encode(),
    };
  }
}

export class FlowRecorders {
  private readonly byName = new Map<FlowName, FlowRecorder>(FLOW_NAMES.map((n) => [n, new FlowRecorder()]));

  get(name: FlowName): FlowRecorder {
    return this.byName.get(name)!;
  }

  encode(): Record<FlowName, FlowTally> {
    const out = {} as Record<FlowName, FlowTally>;
    for (const n of FLOW_NAMES) out[n] = this.get(n).encode();
    return out;
  }
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function sorted(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
