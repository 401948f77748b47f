/**
 * ePrescription and eDispensation at a pharmacy in B. The pharmacist retrieves
 * the eP from A, dispenses under A's and B's rules, and reports the
 * eDispensation to A (XDR), waiting for the ACK. A records the dispensation
 * when it serves the XDR, unless its law forbids the reported substitution;
 * an eP dispensed but never recorded at A stays open there (the double-
 * dispensing window). Patients who leave without their medicine fall back.
 * The flow's latency runs to the eP on screen; dispensing is its own step.
 */
import { sampleDuration, type ProcessGenerator, type RandomStream } from '../../engine/index.ts';
import type { Fallback } from '../../scenarios/spec.ts';
import type { SubstitutionCode } from '../../scenarios/reference/types.ts';
import type { ConsentState } from '../consent.ts';
import type { Patient } from '../population/index.ts';
import type { PrescriptionState } from '../prescription-state.ts';
import { pickUp } from '../points-of-care.ts';
import { REASON } from '../reasons.ts';
import type { CountryNodes, World } from '../world.ts';
import { decideDispense } from './dispense-rules.ts';
import { exchange } from './exchange.ts';
import { crossBorderRetrieve } from './retrieve.ts';

export type { PrescriptionState } from '../prescription-state.ts';

/** A patient's fallbacks when no eP is dispensed, in the order of the cohort's weights. */
export const FALLBACKS: readonly Fallback[] = ['payPrivately', 'paperPrescription', 'goWithout'];

export function* ePrescriptionFlow(
  w: World,
  p: Patient,
  state: PrescriptionState,
  consent: ConsentState,
  fallbackWeights: readonly number[],
  rng: RandomStream,
): ProcessGenerator<void> {
  const b = w.country(p.destination);
  const a = w.country(p.home);
  const pharmacy = pickUp(b.pharmacies, rng);
  const flow = w.flows.get('ePrescription');
  if (pharmacy === null) {
    flow.outcome(FALLBACKS[rng.weightedIndex(fallbackWeights)]!);
    return;
  }
  const staff = pharmacy.acquire();
  yield staff;
  flow.start();
  const t0 = w.sim.now;
  let reason = yield* crossBorderRetrieve(
    w,
    flow,
    { service: 'ePrescription', patient: p, consent, pointOfCare: pharmacy.id, emergency: false, queryCheck: () => (state.recordedAtA ? REASON.alreadyDispensed : null) },
    b,
    a,
    rng,
  );
  let substitution: SubstitutionCode = 'N';
  // The flow's latency is the cross-border part: until the translated eP is on screen.
  const retrievalMs = w.sim.now - t0;
  if (reason === null) {
    const d0 = w.sim.now;
    const med = w.medication(state.rx.atc);
    const decision = decideDispense(state.rx, med, b.spec, rng.next());
    yield sampleDuration(b.spec.pharmacies.serviceTime, rng);
    if (decision.ok) {
      substitution = decision.substitution;
      flow.step('dispense').ok(w.sim.now - d0);
    } else {
      flow.step('dispense').fail();
      reason = decision.reason;
    }
  }
  let outcome: string;
  if (reason === null) {
    flow.success(retrievalMs);
    outcome = 'dispensed';
    state.dispensed = true;
    pharmacy.store(p.id, w.security);
  } else {
    flow.failure(reason);
    outcome = FALLBACKS[rng.weightedIndex(fallbackWeights)]!;
  }
  flow.outcome(outcome);
  w.observer?.attempt?.({ flow: 'ePrescription', patient: p.id, startMs: t0, endMs: w.sim.now, reason, outcome });
  if (reason === null) yield* eDispensation(w, p, state, substitution, b, a, rng);
  pharmacy.release(staff);
}

function* eDispensation(w: World, p: Patient, state: PrescriptionState, substitution: SubstitutionCode, b: CountryNodes, a: CountryNodes, rng: RandomStream): ProcessGenerator<void> {
  const flow = w.flows.get('eDispensation');
  flow.start();
  const t0 = w.sim.now;
  const reason = yield* exchange(
    w,
    flow,
    'xdrSubmit',
    'xdrSubmit',
    b,
    a,
    rng,
    () => {
      if (substitution !== 'N' && !a.spec.dispensing.substitutionAllowed) return REASON.substitutionNotAllowed;
      state.recordedAtA = true;
      return null;
    },
    { patient: p.id, flow: 'eDispensation' },
  );
  if (reason === null) {
    flow.success(w.sim.now - t0);
    flow.outcome('acknowledged');
  } else {
    flow.failure(reason);
    flow.outcome(state.recordedAtA ? 'recordedWithoutAck' : 'notRecorded');
  }
}
