/**
 * Patients' journeys, all of them, driven by one process. A patient comes into
 * being at arrival in B: their needs for the stay are planned from their own
 * stream (an ePrescription refill at a random moment, emergency visits as a
 * Poisson process, perhaps a consent revocation, the trip home) and put on the
 * agenda. Each need, when due, regenerates the patient (a pure function of
 * seed, replication, cohort and index) and runs as a short process on its own
 * stream. Between needs a patient costs a few bytes in typed arrays.
 */
import type { ProcessGenerator, RandomStream, Simulation } from '../engine/index.ts';
import type { CohortSpec } from '../scenarios/spec.ts';
import { NEED, SlotAgenda, type NeedKind } from './agenda.ts';
import { HOME_REDISPENSE_SHARE } from './behaviour.ts';
import { ConsentState, ConsentTable } from './consent.ts';
import { ePrescriptionFlow } from './flows/eprescription.ts';
import { patientSummaryFlow } from './flows/patient-summary.ts';
import type { ArrivalOrder, PopulationSampler } from './population/generate.ts';
import type { Patient } from './population/index.ts';
import { PrescriptionTable } from './prescription-state.ts';
import { planStay } from './stay-plan.ts';
import type { OwnerLookup } from './iot/index.ts';
import type { World } from './world.ts';

export class Journeys implements OwnerLookup {
  private readonly order: ArrivalOrder;
  private readonly agenda = new SlotAgenda();
  private readonly consent: ConsentTable;
  private readonly prescriptions: PrescriptionTable;
  /** Needs met so far per patient: names each need's stream. */
  private readonly needCount: Uint16Array;
  private readonly fallbackWeights: readonly (readonly number[])[];

  constructor(
    private readonly w: World,
    private readonly population: PopulationSampler,
    private readonly streams: RandomStream,
  ) {
    this.order = population.arrivalOrder();
    const n = this.order.order.length;
    this.consent = new ConsentTable(n);
    this.prescriptions = new PrescriptionTable(n);
    this.needCount = new Uint16Array(n);
    this.fallbackWeights = w.spec.population.map((c) => [c.fallback.payPrivately, c.fallback.paperPrescription, c.fallback.goWithout]);
  }

  /** Starts the driver: arrivals in arrival order, needs in time order, until the run's end. */
  start(sim: Simulation): void {
    sim.process(this.drive(sim), 'journeys');
  }

  private *drive(sim: Simulation): ProcessGenerator<void> {
    const end = this.w.spec.durationMs;
    const { order, arrivalMs } = this.order;
    let next = 0;
    for (;;) {
      const ta = next < order.length ? arrivalMs[order[next]!]! : Infinity;
      const tn = this.agenda.peekTime();
      const t = ta <= tn ? ta : tn;
      if (t >= end) return;
      if (t > sim.now) yield t - sim.now;
      if (ta <= tn) this.arrive(order[next++]!);
      else {
        this.agenda.pop();
        this.meet(this.agenda.poppedSlot, this.agenda.poppedTag as NeedKind);
      }
    }
  }

  /** A patient's slot is their global number: cohorts in order, then index. */
  private patient(slot: number): { p: Patient; cohort: CohortSpec; cohortIndex: number } {
    const { cohort, index } = this.population.locate(slot);
    return { p: this.population.patient(cohort, index), cohort: this.w.spec.population[cohort]!, cohortIndex: cohort };
  }

  /** Arrival in B: enrol consent, plan the stay, start the devices. */
  private arrive(slot: number): void {
    const { p, cohort } = this.patient(slot);
    if (p.home === p.destination) return; // at home: nothing crosses a border
    const rng = this.streams.fork(p.id);
    const depart = p.arrivalMs + p.stayMs;
    this.consent.enrol(slot, p);
    const plan = planStay(p, cohort, rng);
    if (plan.refill !== null) {
      this.agenda.push(plan.refill.atMs, slot, NEED.refill);
      this.agenda.push(depart, slot, NEED.depart);
    }
    for (const t of plan.emergencies) this.agenda.push(t, slot, NEED.emergency);
    if (plan.revokeAtMs !== null) this.agenda.push(plan.revokeAtMs, slot, NEED.revoke);
    this.w.arrivals?.arrived(p, cohort, rng, new ConsentState(this.consent, slot), slot);
  }

  /** Patient `slot` regenerated, with their live consent (the devices' emergencies). */
  owner(slot: number): { p: Patient; consent: ConsentState } {
    return { p: this.patient(slot).p, consent: new ConsentState(this.consent, slot) };
  }

  /** A need falls due: the patient, regenerated, meets it on the need's own stream. */
  private meet(slot: number, kind: NeedKind): void {
    const { p, cohortIndex } = this.patient(slot);
    const w = this.w;
    const rng = this.streams.fork(`${p.id}/${this.needCount[slot]!++}`);
    const consent = new ConsentState(this.consent, slot);
    switch (kind) {
      case NEED.refill:
        w.sim.process(ePrescriptionFlow(w, p, this.prescriptions.view(slot, p.prescriptions[0]!), consent, this.fallbackWeights[cohortIndex]!, rng), p.id);
        return;
      case NEED.emergency:
        w.sim.process(patientSummaryFlow(w, p, consent, rng), p.id);
        return;
      case NEED.revoke: {
        // The red button: revoke at A's registry; A's NCP learns of it after the propagation lag.
        const flow = w.flows.get('consentChange');
        flow.start();
        const lag = consent.revoke(w.sim.now, w.spec.policies.consent, rng);
        w.security.revocationLag.record(lag);
        flow.success(lag);
        return;
      }
      case NEED.depart: {
        // Home again with an eP still open at A although it was dispensed abroad: a second dispensation.
        const rx = this.prescriptions.view(slot, p.prescriptions[0]!);
        if (rx.dispensed && !rx.recordedAtA && rng.next() < HOME_REDISPENSE_SHARE) w.security.doubleDispensations++;
        return;
      }
    }
  }
}
