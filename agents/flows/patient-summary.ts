/**
 * Patient Summary at a hospital in B: the emergency patient waits for a
 * clinician (hospital staff), who retrieves the summary from A while the
 * patient is with them, then treats them with or without it.
 */
import { sampleDuration, type ProcessGenerator, type RandomStream } from '../../engine/index.ts';
import type { Patient } from '../population/index.ts';
import type { World } from '../world.ts';
import { crossBorderRetrieve } from './retrieve.ts';

export function* patientSummaryFlow(w: World, p: Patient, rng: RandomStream): ProcessGenerator<void> {
  const b = w.country(p.destination);
  const a = w.country(p.home);
  if (b.hospitals.length === 0) return;
  const hospital = b.hospitals[rng.int(b.hospitals.length)]!;
  const flow = w.flows.get('patientSummary');
  const staff = hospital.acquire();
  yield staff;
  flow.start();
  const t0 = w.sim.now;
  const reason = yield* crossBorderRetrieve(w, flow, 'patientSummary', p, b, a, rng, null);
  if (reason === null) {
    flow.success(w.sim.now - t0);
    flow.outcome('treatedWithSummary');
  } else {
    flow.failure(reason);
    flow.outcome('treatedWithoutSummary');
  }
  yield sampleDuration(b.spec.hospitals.serviceTime, rng);
  hospital.release(staff);
}
