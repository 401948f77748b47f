/**
 * Connected devices abroad: startDevices() equips a patient at arrival and
 * hands their devices to the replication's fleet (none when they carry none,
 * or nothing can cross a border), which drives every owner's devices from one
 * process. Tallies go to w.iot and the iotUpload flow.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { CohortSpec } from '../../scenarios/spec.ts';
import type { ConsentState } from '../consent.ts';
import type { Patient } from '../population/index.ts';
import type { ArrivalListener, World } from '../world.ts';
import { DeviceFleet, type OwnerLookup } from './device-process.ts';

export { carriedDevices, equipDevices, CGM_CONDITIONS, BP_CONDITIONS, type Device } from './devices.ts';
export { Connectivity, ConnectivityLaw } from './connectivity.ts';
export { DeviceFleet, compromisableKinds, PLATFORM_PROCESSING_MS, COMPROMISE_POLL_MS, type OwnerLookup } from './device-process.ts';
export { StreamTable, SlotStream } from './streams.ts';
export { fieldsPerReading, DEVICE_OBSERVATION, ALERT_RULE, CARE_FIELDS, EXTRA_FIELDS, type ObservationCode } from './fields.ts';
export { IotRecorder } from './recorder.ts';

/** The replication's fleet (made on first use). */
export function deviceFleet(w: World): DeviceFleet {
  return (w.fleet ??= new DeviceFleet(w));
}

/**
 * Chooses the patient's devices (three draws from `rng`, always) and, if they
 * carry any and stay abroad within the run, starts them on the stream
 * `rng/iot`. Returns the number of devices started (added to w.iot.devices).
 * Pass the journey's `consent` so an alert's emergency visit sees revocations;
 * without it the visit checks the patient's initial opt-in only. Pass the
 * journey `slot` and register a lookup (setOwnerLookup) so the fleet keeps
 * nothing of the patient: an emergency gets patient and consent back by slot.
 */
export function startDevices(w: World, p: Patient, cohort: CohortSpec, rng: RandomStream, consent?: ConsentState, slot?: number): number {
  return deviceFleet(w).register(p, cohort, rng, consent, slot);
}

/** Starts an arriving patient's devices: the World.arrivals of a replication. */
export class DeviceStarter implements ArrivalListener {
  constructor(private readonly w: World) {}

  arrived(p: Patient, cohort: CohortSpec, rng: RandomStream, consent: ConsentState, slot: number): void {
    startDevices(this.w, p, cohort, rng, consent, slot);
  }
}

/** How the fleet regenerates an owner (patient and live consent, by journey slot) when an alert becomes an emergency. */
export function setOwnerLookup(w: World, lookup: OwnerLookup | null): void {
  deviceFleet(w).lookup = lookup;
}
