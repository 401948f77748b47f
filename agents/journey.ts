/**
 * One patient's trip as a process: arrive in B, meet the needs that arise
 * during the stay (an ePrescription refill at a random moment, emergency
 * visits as a Poisson process, perhaps a consent revocation), one at a time in
 * time order, then go home, where an eP dispensed abroad but still open at A
 * may be dispensed again. The plan is drawn up front from the patient's own
 * stream, new kinds of draws after the old ones, so a policy change shifts
 * nobody's plan.
 */
import type { ProcessGenerator, RandomStream } from '../engine/index.ts';
import type { CohortSpec } from '../scenarios/spec.ts';
import { DAY_MS, HOME_REDISPENSE_SHARE } from './behaviour.ts';
import { ConsentState } from './consent.ts';
import { ePrescriptionFlow, type PrescriptionState } from './flows/eprescription.ts';
import { patientSummaryFlow } from './flows/patient-summary.ts';
import type { Patient } from './population/index.ts';
import type { World } from './world.ts';

export function* journey(w: World, p: Patient, cohort: CohortSpec, rng: RandomStream): ProcessGenerator<void> {
  const sim = w.sim;
  const end = w.spec.durationMs;
  if (p.home === p.destination) return; // at home: nothing crosses a border
  const depart = p.arrivalMs + p.stayMs;
  const fallbackWeights = [cohort.fallback.payPrivately, cohort.fallback.paperPrescription, cohort.fallback.goWithout];
  const consent = new ConsentState(p);

  const rx: PrescriptionState | null =
    p.prescriptions.length > 0 && rng.next() < cohort.refillShare ? { rx: p.prescriptions[0]!, recordedAtA: false, dispensed: false } : null;
  const refillAt = rx === null ? Infinity : p.arrivalMs + rng.next() * p.stayMs;
  const ratePerMs = cohort.emergencyPerDay / DAY_MS;
  let nextEmergency = ratePerMs > 0 ? p.arrivalMs + rng.exponential(1 / ratePerMs) : Infinity;
  const revokeShare = cohort.consentChanges.revokeShare;
  let revokeAt = revokeShare > 0 && rng.next() < revokeShare ? p.arrivalMs + rng.next() * p.stayMs : Infinity;
  let refillDone = rx === null;

  yield Math.max(0, p.arrivalMs - sim.now);
  w.onArrival(p, cohort, rng, consent);
  for (;;) {
    const emergencyDue = nextEmergency < depart ? nextEmergency : Infinity;
    const refillDue = refillDone ? Infinity : refillAt;
    const t = Math.min(emergencyDue, refillDue, revokeAt);
    if (t === Infinity || t >= end) break;
    if (t > sim.now) yield t - sim.now;
    if (revokeAt <= emergencyDue && revokeAt <= refillDue) {
      revokeAt = Infinity;
      revoke(w, consent, rng);
    } else if (refillDue <= emergencyDue) {
      refillDone = true;
      yield* ePrescriptionFlow(w, p, rx!, consent, fallbackWeights, rng);
    } else {
      nextEmergency += rng.exponential(1 / ratePerMs);
      yield* patientSummaryFlow(w, p, consent, rng);
    }
  }

  if (rx !== null && rx.dispensed && !rx.recordedAtA && depart < end) {
    if (depart > sim.now) yield depart - sim.now;
    // Home again, the eP still shows as open at A: a second dispensation of the same prescription.
    if (rng.next() < HOME_REDISPENSE_SHARE) w.security.doubleDispensations++;
  }
}

/** The red button: revoke at A's registry; A's NCP learns of it after the propagation lag. */
function revoke(w: World, consent: ConsentState, rng: RandomStream): void {
  const flow = w.flows.get('consentChange');
  flow.start();
  const lag = consent.revoke(w.sim.now, w.spec.policies.consent, rng);
  w.security.revocationLag.record(lag);
  flow.success(lag);
}
