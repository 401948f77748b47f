/**
 * Which connected devices a patient carries: a CGM for diabetics, a BP monitor
 * for hypertensives, a wearable for anyone, each with its cohort share. Always
 * three draws from the caller's stream, whoever is eligible, so the caller's
 * later draws never depend on the patient's conditions; firmware draws come after.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { CohortSpec, DeviceKind } from '../../scenarios/spec.ts';
import type { Patient } from '../population/index.ts';

/** ICD-10 codes that make a patient eligible for a CGM (type 1 and type 2 diabetes). */
export const CGM_CONDITIONS: readonly string[] = Object.freeze(['E10.9', 'E11.9']);
/** ICD-10 codes that make a patient eligible for a home BP monitor (essential hypertension). */
export const BP_CONDITIONS: readonly string[] = Object.freeze(['I10']);

export interface Device {
  readonly kind: DeviceKind;
  readonly intervalMs: number;
  readonly bufferReadings: number;
  /** Still on its default password: a device-compromise fault can take it over. */
  readonly vulnerable: boolean;
  /** Uniform draw fixed for the device's life: taken over while vulnerable and u < the fault's share. */
  readonly takeoverU: number;
}

function hasAny(conditions: readonly string[], codes: readonly string[]): boolean {
  for (const c of conditions) if (codes.includes(c)) return true;
  return false;
}

/** The kinds the patient carries, in DEVICE_KINDS order. Exactly three draws from `rng`. */
export function carriedDevices(p: Patient, cohort: CohortSpec, rng: RandomStream): DeviceKind[] {
  const d = cohort.iot.devices;
  const uCgm = rng.next();
  const uBp = rng.next();
  const uWearable = rng.next();
  const kinds: DeviceKind[] = [];
  if (uCgm < d.cgm.share && hasAny(p.conditions, CGM_CONDITIONS)) kinds.push('cgm');
  if (uBp < d.bpMonitor.share && hasAny(p.conditions, BP_CONDITIONS)) kinds.push('bpMonitor');
  if (uWearable < d.wearable.share) kinds.push('wearable');
  return kinds;
}

/** Firmware hygiene per device: two draws each, in the order given. */
export function equipDevices(kinds: readonly DeviceKind[], cohort: CohortSpec, rng: RandomStream): Device[] {
  return kinds.map((kind) => {
    const s = cohort.iot.devices[kind];
    const vulnerable = rng.next() < s.defaultPassword;
    return { kind, intervalMs: s.intervalMs, bufferReadings: s.bufferReadings, vulnerable, takeoverU: rng.next() };
  });
}
