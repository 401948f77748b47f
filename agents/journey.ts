/**
 * One patient's trip as a process: arrive in B, meet the needs that arise
 * during the stay (an ePrescription refill at a random moment, emergency
 * visits as a Poisson process), one at a time in time order, then go home,
 * where an eP dispensed abroad but still open at A may be dispensed again.
 */
import type { ProcessGenerator, RandomStream } from '../engine/index.ts';
import type { CohortSpec } from '../scenarios/spec.ts';
import { DAY_MS, HOME_REDISPENSE_SHARE } from './behaviour.ts';
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

  // Plan the stay up front, from this patient's own stream.
  const rx: PrescriptionState | null =
    p.prescriptions.length > 0 && rng.next() < cohort.refillShare ? { rx: p.prescriptions[0]!, recordedAtA: false, dispensed: false } : null;
  const refillAt = rx === null ? Infinity : p.arrivalMs + rng.next() * p.stayMs;
  const ratePerMs = cohort.emergencyPerDay / DAY_MS;
  let nextEmergency = ratePerMs > 0 ? p.arrivalMs + rng.exponential(1 / ratePerMs) : Infinity;
  let refillDone = rx === null;

  yield Math.max(0, p.arrivalMs - sim.now);
  for (;;) {
    const emergencyDue = nextEmergency < depart ? nextEmergency : Infinity;
    const refillDue = refillDone ? Infinity : refillAt;
    const t = Math.min(emergencyDue, refillDue);
    if (t === Infinity || t >= end) break;
    if (t > sim.now) yield t - sim.now;
    if (refillDue <= emergencyDue) {
      refillDone = true;
      yield* ePrescriptionFlow(w, p, rx!, fallbackWeights, rng);
    } else {
      nextEmergency += rng.exponential(1 / ratePerMs);
      yield* patientSummaryFlow(w, p, rng);
    }
  }

  if (rx !== null && rx.dispensed && !rx.recordedAtA && depart < end) {
    if (depart > sim.now) yield depart - sim.now;
    // Home again, the eP still shows as open at A: a second dispensation of the same prescription.
    if (rng.next() < HOME_REDISPENSE_SHARE) w.security.doubleDispensations++;
  }
}
