/**
 * A planned flow that an injected fault stopped before any request, recorded
 * as the load run records its other flows (flows.ts): an attempt that failed
 * with the simulator's reason at its step, and the outcome that follows. A
 * patient who found no point of care open is recorded as the simulator
 * records one: an outcome only, no attempt and no failure. FaultCounts keeps
 * the run's tally of what the faults did, as flows come due.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { FALLBACKS } from '../flows/eprescription.ts';
import type { IotRecorder } from '../iot/index.ts';
import type { FlowRecorders } from '../recorders.ts';
import type { FaultVerdict } from './load-faults.ts';
import type { PlannedFlow } from './plan.ts';

export type StoppedVerdict = Extract<FaultVerdict, { kind: 'fail' | 'noSite' }>;

export interface FaultedRecorders {
  readonly spec: ScenarioSpec;
  readonly flows: FlowRecorders;
  readonly iot: IotRecorder;
}

/** Records a stopped flow; `rng` is its own fault stream (an eP's fallback is drawn from it). */
export function recordFaulted(rec: FaultedRecorders, f: PlannedFlow, v: StoppedVerdict, rng: () => RandomStream): void {
  const flow = rec.flows.get(f.kind);
  if (v.kind === 'fail') {
    flow.start();
    if (v.step !== null) flow.step(v.step).fail();
    flow.failure(v.reason);
  }
  switch (f.kind) {
    case 'patientSummary':
      flow.outcome(v.kind === 'fail' ? 'treatedWithoutSummary' : 'noHospitalAvailable');
      return;
    case 'ePrescription': {
      const weights = rec.spec.population.find((c) => c.name === f.patient.cohort)?.fallback;
      flow.outcome(weights === undefined ? 'goWithout' : FALLBACKS[rng().weightedIndex(FALLBACKS.map((k) => weights[k]))]!);
      return;
    }
    case 'iotUpload':
      // The readings were taken; the batch stays on the phone.
      rec.iot.readingsGenerated += f.upload?.devices.reduce((n, d) => n + d.count, 0) ?? 0;
      flow.outcome('buffered');
      return;
  }
}

/** What the injected faults did to the flows that came due. */
export class FaultCounts {
  /** Fault id -> flows it failed; every injected fault has an entry. */
  readonly failed: Record<string, number> = {};
  /** Flows failed before any request (the sum of `failed`). */
  total = 0;
  rerouted = 0;
  noSite = 0;
  /** Flows moved to a point of care whose path reaches no bound node. */
  unbound = 0;

  constructor(injected: readonly string[]) {
    for (const id of injected) this.failed[id] = 0;
  }

  count(v: FaultVerdict): void {
    switch (v.kind) {
      case 'send':
        if (v.rerouted) this.rerouted++;
        return;
      case 'fail':
        this.total++;
        this.failed[v.fault] = (this.failed[v.fault] ?? 0) + 1;
        return;
      case 'noSite':
        this.noSite++;
        return;
      case 'unbound':
        this.unbound++;
        return;
    }
  }
}
