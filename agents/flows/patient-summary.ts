/**
 * Patient Summary at a hospital in B (purpose EMERGENCY): the patient waits
 * for a clinician (hospital staff), who looks for a summary cached at B, else
 * retrieves it from A, else (policy) reads the offline summary in the
 * patient's EUDI wallet; then treats them with or without it.
 */
import { sampleDuration, type ProcessGenerator, type RandomStream } from '../../engine/index.ts';
import type { ConsentState } from '../consent.ts';
import type { Patient } from '../population/index.ts';
import { pickUp } from '../points-of-care.ts';
import type { World } from '../world.ts';
import { crossBorderRetrieve } from './retrieve.ts';

export function* patientSummaryFlow(w: World, p: Patient, consent: ConsentState, rng: RandomStream): ProcessGenerator<void> {
  const b = w.country(p.destination);
  const a = w.country(p.home);
  const hospital = pickUp(b.hospitals, rng);
  const flow = w.flows.get('patientSummary');
  if (hospital === null) {
    flow.outcome('noHospitalAvailable');
    return;
  }
  const staff = hospital.acquire();
  yield staff;
  flow.start();
  const t0 = w.sim.now;
  const ttl = w.spec.policies.cacheTtlMs;
  const cache = ttl > 0 ? w.summaryCache(b.spec.code) : null;
  let outcome: string;
  let reason: string | null = null;
  if (cache !== null && (cache.get(p.id) ?? -1) > t0) {
    flow.success(0);
    outcome = 'treatedWithCachedSummary';
  } else {
    reason = yield* crossBorderRetrieve(w, flow, { service: 'patientSummary', patient: p, consent, pointOfCare: hospital.id, emergency: true, queryCheck: null }, b, a, rng);
    if (reason === null) {
      flow.success(w.sim.now - t0);
      cache?.set(p.id, w.sim.now + ttl);
      outcome = 'treatedWithSummary';
    } else if (w.spec.policies.walletFallback && p.identity.eudiWallet) {
      flow.fallbackSuccess();
      outcome = 'treatedWithWalletSummary';
    } else {
      flow.failure(reason);
      outcome = 'treatedWithoutSummary';
    }
  }
  flow.outcome(outcome);
  hospital.store(p.id, w.security);
  w.observer?.attempt?.({ flow: 'patientSummary', patient: p.id, startMs: t0, endMs: w.sim.now, reason: outcome === 'treatedWithoutSummary' ? reason : null, outcome });
  yield sampleDuration(b.spec.hospitals.serviceTime, rng);
  hospital.release(staff);
}
