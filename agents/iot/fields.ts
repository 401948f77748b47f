/**
 * What one device reading carries: the observation it measures (LOINC code and
 * UCUM unit, research/clinical-catalogue.md section 5), the alert rule each kind
 * watches for, and the personal-data fields sent per reading, with and without
 * the data-minimisation policy. Pure data; no draws.
 */
import type { DeviceKind } from '../../scenarios/spec.ts';

export interface ObservationCode {
  readonly loinc: string;
  readonly display: string;
  /** UCUM unit of the value ('' for a panel, whose components carry units). */
  readonly unit: string;
  /** Panel members (blood pressure: systolic and diastolic). */
  readonly components: readonly { readonly loinc: string; readonly display: string; readonly unit: string }[];
}

/** The FHIR Observation each device kind produces (FHIR R4 vital-signs profiles; CGM: loinc.org/2339-0). */
export const DEVICE_OBSERVATION: Readonly<Record<DeviceKind, ObservationCode>> = Object.freeze({
  cgm: { loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', components: [] },
  bpMonitor: {
    loinc: '85354-9',
    display: 'Blood pressure panel',
    unit: '',
    components: [
      { loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]' },
      { loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]' },
    ],
  },
  wearable: { loinc: '8867-4', display: 'Heart rate', unit: '/min', components: [] },
});

/** The critical event behind an alert, per kind (the simulator draws events, it does not simulate values). */
export const ALERT_RULE: Readonly<Record<DeviceKind, string>> = Object.freeze({
  cgm: 'glucose < 54 mg/dL (level 2 hypoglycaemia)',
  bpMonitor: 'systolic >= 180 or diastolic >= 120 mm[Hg] (hypertensive crisis)',
  wearable: 'irregular rhythm (suspected arrhythmia)',
});

/** Fields the care purpose needs: what was measured, when, by which device. */
export const CARE_FIELDS = Object.freeze(['value', 'effectiveTime', 'deviceId'] as const);
/** Fields devices collect beyond need unless data minimisation is on. */
export const EXTRA_FIELDS = Object.freeze(['location', 'ambientAudio'] as const);

/** Personal-data fields one delivered reading carries across the border. */
export function fieldsPerReading(dataMinimisation: boolean): number {
  return dataMinimisation ? CARE_FIELDS.length : CARE_FIELDS.length + EXTRA_FIELDS.length;
}
