/**
 * Connected devices abroad: startDevices() equips a patient at arrival and
 * starts one process for all their devices (none when they carry none, or
 * nothing can cross a border). Tallies go to w.iot and the iotUpload flow.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { CohortSpec, DeviceKind, ScenarioSpec } from '../../scenarios/spec.ts';
import { ConsentState } from '../consent.ts';
import type { Patient } from '../population/index.ts';
import type { World } from '../world.ts';
import { carriedDevices, equipDevices } from './devices.ts';
import { deviceProcess } from './device-process.ts';

export { carriedDevices, equipDevices, CGM_CONDITIONS, BP_CONDITIONS, type Device } from './devices.ts';
export { Connectivity } from './connectivity.ts';
export { deviceProcess, PLATFORM_PROCESSING_MS, COMPROMISE_POLL_MS } from './device-process.ts';
export { fieldsPerReading, DEVICE_OBSERVATION, ALERT_RULE, CARE_FIELDS, EXTRA_FIELDS, type ObservationCode } from './fields.ts';
export { IotRecorder } from './recorder.ts';

const compromisableBySpec = new WeakMap<ScenarioSpec, ReadonlySet<DeviceKind>>();

/** Device kinds some deviceCompromise fault of the scenario targets (computed once per spec). */
export function compromisableKinds(spec: ScenarioSpec): ReadonlySet<DeviceKind> {
  let kinds = compromisableBySpec.get(spec);
  if (kinds === undefined) {
    const set = new Set<DeviceKind>();
    for (const f of spec.faults) if (f.kind === 'deviceCompromise' && f.target.kind === 'devices') set.add(f.target.device);
    kinds = set;
    compromisableBySpec.set(spec, kinds);
  }
  return kinds;
}

/**
 * Chooses the patient's devices (three draws from `rng`, always) and, if they
 * carry any and stay abroad within the run, starts their process on the stream
 * `rng/iot`. Returns the number of devices started (added to w.iot.devices).
 * Pass the journey's `consent` so an alert's emergency visit sees revocations;
 * without it the visit checks the patient's initial opt-in only.
 */
export function startDevices(w: World, p: Patient, cohort: CohortSpec, rng: RandomStream, consent?: ConsentState): number {
  const kinds = carriedDevices(p, cohort, rng);
  if (kinds.length === 0 || p.home === p.destination || p.arrivalMs >= w.spec.durationMs || !(p.stayMs > 0)) return 0;
  const iotRng = rng.fork('iot');
  const devices = equipDevices(kinds, cohort, iotRng);
  w.iot.devices += devices.length;
  w.sim.process(deviceProcess(w, p, cohort, devices, compromisableKinds(w.spec), consent ?? ConsentState.of(p), iotRng), `${p.id}/iot`);
  return devices.length;
}
