/**
 * A patient's needs for the stay, drawn at arrival from their own stream in a
 * fixed order (refill, emergencies, revocation): the one definition shared by
 * the simulated journeys and the load generator, so both see the same people
 * needing the same things at the same times.
 */
import type { RandomStream } from '../engine/index.ts';
import type { CohortSpec } from '../scenarios/spec.ts';
import { DAY_MS } from './behaviour.ts';
import type { Patient, Prescription } from './population/index.ts';

export interface StayPlan {
  /** The ePrescription to refill, and when (null: no refill this stay). */
  readonly refill: { readonly atMs: number; readonly rx: Prescription } | null;
  /** Emergency visits, in time order, before departure. */
  readonly emergencies: readonly number[];
  /** When the patient revokes consent (null: never). */
  readonly revokeAtMs: number | null;
}

export function planStay(p: Patient, cohort: CohortSpec, rng: RandomStream): StayPlan {
  const depart = p.arrivalMs + p.stayMs;
  const rx = p.prescriptions.length > 0 && rng.next() < cohort.refillShare ? p.prescriptions[0]! : null;
  const refill = rx === null ? null : { atMs: p.arrivalMs + rng.next() * p.stayMs, rx };
  const ratePerMs = cohort.emergencyPerDay / DAY_MS;
  const emergencies: number[] = [];
  if (ratePerMs > 0) for (let t = p.arrivalMs + rng.exponential(1 / ratePerMs); t < depart; t += rng.exponential(1 / ratePerMs)) emergencies.push(t);
  const revokeShare = cohort.consentChanges.revokeShare;
  const revokeAtMs = revokeShare > 0 && rng.next() < revokeShare ? p.arrivalMs + rng.next() * p.stayMs : null;
  return { refill, emergencies, revokeAtMs };
}
