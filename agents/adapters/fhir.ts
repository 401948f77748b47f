/**
 * FHIR R4 resources pitsim sends, built from the synthetic population: the
 * Patient (national id, EHIC, pitsim id), its Conditions (ICD-10) and
 * MedicationRequests (ATC, via a Medication), the seeding transaction of one
 * patient, the eDispensation transaction (MedicationDispense created with
 * If-None-Exist on a deterministic identifier, plus the MedicationRequest
 * status update with If-Match), and the Observation batch of an IoT upload.
 * Every write is conditional on a deterministic identifier, so repeating it
 * (a retry, a second `--prepare`) creates nothing new. Pure functions; types
 * from @medplum/fhirtypes (R4). Dates derive from the scenario's start date
 * and simulated time, never from the wall clock.
 */
import type {
  Bundle,
  BundleEntry,
  Condition,
  Device,
  Identifier,
  Medication,
  MedicationDispense,
  MedicationRequest,
  Observation,
  ObservationComponent,
  Patient as FhirPatient,
  Reference,
} from '@medplum/fhirtypes';
import { hash128, type RandomStream } from '../../engine/index.ts';
import type { DeviceKind } from '../../scenarios/spec.ts';
import type { Catalogue, MedicationEntry, SubstitutionCode } from '../../scenarios/reference/types.ts';
import { DEVICE_OBSERVATION } from '../iot/index.ts';
import type { Demographics, Patient, Prescription } from '../population/index.ts';

export const SYSTEM = Object.freeze({
  patient: 'urn:pitsim:sid:patient',
  condition: 'urn:pitsim:sid:condition',
  prescription: 'urn:pitsim:sid:prescription',
  dispense: 'urn:pitsim:sid:dispense',
  observation: 'urn:pitsim:sid:observation',
  device: 'urn:pitsim:sid:device',
  patientSummary: 'urn:pitsim:sid:patient-summary',
  documentReference: 'urn:pitsim:sid:document-reference',
  ehic: 'urn:pitsim:sid:ehic',
  atc: 'http://www.whocc.no/atc',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  edqm: 'http://standardterms.edqm.eu',
  substitution: 'http://terminology.hl7.org/CodeSystem/v3-substanceAdminSubstitution',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  listEmptyReason: 'http://terminology.hl7.org/CodeSystem/list-empty-reason',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
});

/** National identifier systems where one is published; others get a pitsim URN. */
const NATIONAL_SYSTEM: Readonly<Record<string, string>> = {
  DE: 'http://fhir.de/sid/gkv/kvid-10',
  FR: 'urn:oid:1.2.250.1.213.1.4.8',
  FI: 'urn:oid:1.2.246.21',
};

export function nationalIdSystem(country: string): string {
  return NATIONAL_SYSTEM[country] ?? `urn:pitsim:sid:national-id:${country}`;
}

/** A patient as the gateway knows them: demographics and the identifiers presented at B. */
export interface PatientIdentity {
  readonly patient: Patient;
  readonly demographics: Demographics;
  readonly pitsimId: Identifier;
  readonly nationalId: Identifier;
  readonly ehic: Identifier | null;
  /** What the point of care in B searches with: the national id if carried, else the EHIC, else the national id. */
  readonly lookup: Identifier;
}

export function patientIdentity(patient: Patient, demographics: Demographics): PatientIdentity {
  const pitsimId = { system: SYSTEM.patient, value: patient.id };
  const nationalId = { system: nationalIdSystem(patient.home), value: demographics.nationalId };
  const ehic = demographics.ehic === null ? null : { system: SYSTEM.ehic, value: demographics.ehic };
  const lookup = patient.identity.nationalId || ehic === null ? nationalId : ehic;
  return { patient, demographics, pitsimId, nationalId, ehic, lookup };
}

/** `system|value`, the token form of a search or an If-None-Exist. */
export function token(id: Identifier): string {
  return `${id.system ?? ''}|${id.value ?? ''}`;
}

/** `identifier=system|value`, URL-encoded. */
export function identifierQuery(id: Identifier): string {
  return `identifier=${encodeURIComponent(token(id))}`;
}

/** A version-4-shaped UUID derived from a name (deterministic fullUrls for transactions). */
export function nameUuid(name: string): string {
  const h = hash128(`pitsim-uuid\u0000${name}`);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ISO instant of simulated time `ms` on the scenario's calendar. */
export function instantAt(startDate: string, ms: number): string {
  return new Date(Date.parse(`${startDate}T00:00:00Z`) + Math.round(ms)).toISOString();
}

// ---- resources ---------------------------------------------------------------

export function patientResource(id: PatientIdentity): FhirPatient {
  const d = id.demographics;
  return {
    resourceType: 'Patient',
    identifier: [id.pitsimId, id.nationalId, ...(id.ehic === null ? [] : [id.ehic])],
    active: true,
    name: [{ family: d.familyName, given: [d.givenName] }],
    telecom: [{ system: 'phone', value: d.phone }],
    gender: id.patient.sex,
    birthDate: d.birthDate,
    address: [{ line: [d.address.street], city: d.address.city, postalCode: d.address.postalCode, country: d.address.country }],
  };
}

export function conditionResource(id: PatientIdentity, icd10: string, display: string, subject: Reference<FhirPatient>, recordedDate: string): Condition {
  return {
    resourceType: 'Condition',
    identifier: [{ system: SYSTEM.condition, value: `${id.patient.id}.${icd10}` }],
    clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: 'active' }] },
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: 'confirmed' }] },
    code: { coding: [{ system: SYSTEM.icd10, code: icd10, display }] },
    subject,
    recordedDate,
  };
}

export function medicationResource(m: MedicationEntry): Medication {
  return {
    resourceType: 'Medication',
    code: { coding: [{ system: SYSTEM.atc, code: m.atc, display: m.inn }], text: m.strength === undefined ? m.inn : `${m.inn} ${m.strength}` },
    form: { coding: [{ system: SYSTEM.edqm, code: m.doseForm }] },
  };
}

export function medicationRequestResource(rx: Prescription, subject: Reference<FhirPatient>, medication: Reference<Medication>, reason: Reference<Condition> | null, authoredOn: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    identifier: [{ system: SYSTEM.prescription, value: rx.id }],
    status: 'active',
    intent: 'order',
    medicationReference: medication,
    subject,
    authoredOn,
    ...(reason === null ? {} : { reasonReference: [reason] }),
    reasonCode: [{ coding: [{ system: SYSTEM.icd10, code: rx.condition }] }],
    substitution: { allowedBoolean: rx.substitution !== 'N' },
  };
}

// ---- transactions and batches -----------------------------------------------

/** Every catalogue medication, conditionally created on its ATC code (seeded once, before the patients). */
export function medicationsTransaction(catalogue: Catalogue): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: catalogue.medications.map((m) => ({
      fullUrl: `urn:uuid:${nameUuid(`medication/${m.atc}`)}`,
      resource: medicationResource(m),
      request: { method: 'POST', url: 'Medication', ifNoneExist: `code=${encodeURIComponent(`${SYSTEM.atc}|${m.atc}`)}` },
    })),
  };
}

/** The fullUrl of the patient's Patient entry in their seeding transaction (other entries may reference it). */
export function patientFullUrl(p: Patient): string {
  return `urn:uuid:${nameUuid(`patient/${p.id}`)}`;
}

/**
 * One patient's seeding transaction: the Patient, a Condition per ICD-10
 * code, a MedicationRequest per ePrescription (referencing the seeded
 * Medication `medicationIds[atc]`), each created only if its identifier is new.
 */
export function patientTransaction(id: PatientIdentity, catalogue: Catalogue, medicationIds: ReadonlyMap<string, string>, startDate: string): Bundle {
  const p = id.patient;
  const patientUrl = patientFullUrl(p);
  const subject: Reference<FhirPatient> = { reference: patientUrl };
  const recorded = startDate;
  const displays = new Map(catalogue.conditions.map((c) => [c.icd10, c.display]));
  const conditionUrls = new Map<string, string>();
  const entry: BundleEntry[] = [
    { fullUrl: patientUrl, resource: patientResource(id), request: { method: 'POST', url: 'Patient', ifNoneExist: identifierQuery(id.pitsimId) } },
  ];
  for (const icd10 of p.conditions) {
    const c = conditionResource(id, icd10, displays.get(icd10) ?? icd10, subject, recorded);
    const url = `urn:uuid:${nameUuid(`condition/${p.id}/${icd10}`)}`;
    conditionUrls.set(icd10, url);
    entry.push({ fullUrl: url, resource: c, request: { method: 'POST', url: 'Condition', ifNoneExist: identifierQuery(c.identifier![0]!) } });
  }
  for (const rx of p.prescriptions) {
    const med = medicationIds.get(rx.atc);
    if (med === undefined) throw new Error(`no seeded Medication for ATC ${rx.atc}`);
    const reason = conditionUrls.get(rx.condition);
    const mr = medicationRequestResource(rx, subject, { reference: `Medication/${med}` }, reason === undefined ? null : { reference: reason }, `${startDate}T00:00:00Z`);
    entry.push({ fullUrl: `urn:uuid:${nameUuid(`prescription/${rx.id}`)}`, resource: mr, request: { method: 'POST', url: 'MedicationRequest', ifNoneExist: identifierQuery(mr.identifier![0]!) } });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

export interface DispensationInput {
  /** The prescription line (its id names the dispensation). */
  readonly rx: Prescription;
  /** Server id of the Patient. */
  readonly patientId: string;
  /** The MedicationRequest as the gateway returned it (id and meta.versionId used). */
  readonly request: MedicationRequest;
  /** When the medicine was handed over (ISO instant). */
  readonly handedOver: string;
  /** The substitution made: N for none, else G or TE. */
  readonly substitution: SubstitutionCode;
  /** Send If-Match with the request's version (detects a concurrent dispensation: 412). */
  readonly ifMatch: boolean;
}

/** The identifier of the (one) dispensation of a prescription line. */
export function dispenseIdentifier(rx: Prescription): Identifier {
  return { system: SYSTEM.dispense, value: `${rx.id}.dispense` };
}

/** eDispensation: MedicationDispense (If-None-Exist) + the MedicationRequest set to completed (If-Match). */
export function dispensationTransaction(d: DispensationInput): Bundle {
  const mrId = d.request.id ?? '';
  const identifier = dispenseIdentifier(d.rx);
  const dispense: MedicationDispense = {
    resourceType: 'MedicationDispense',
    identifier: [identifier],
    status: 'completed',
    ...(d.request.medicationReference !== undefined
      ? { medicationReference: d.request.medicationReference }
      : { medicationCodeableConcept: d.request.medicationCodeableConcept ?? { coding: [{ system: SYSTEM.atc, code: d.rx.atc }] } }),
    subject: { reference: `Patient/${d.patientId}` },
    authorizingPrescription: [{ reference: `MedicationRequest/${mrId}` }],
    whenHandedOver: d.handedOver,
    substitution: {
      wasSubstituted: d.substitution !== 'N',
      type: { coding: [{ system: SYSTEM.substitution, code: d.substitution }] },
    },
  };
  const { meta, ...rest } = d.request;
  const completed: MedicationRequest = { ...rest, status: 'completed' };
  const version = meta?.versionId;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${nameUuid(`dispense/${d.rx.id}`)}`,
        resource: dispense,
        request: { method: 'POST', url: 'MedicationDispense', ifNoneExist: identifierQuery(identifier) },
      },
      {
        resource: completed,
        request: { method: 'PUT', url: `MedicationRequest/${mrId}`, ...(d.ifMatch && version !== undefined ? { ifMatch: `W/"${version}"` } : {}) },
      },
    ],
  };
}

export interface ObservationBatchInput {
  readonly identity: PatientIdentity;
  /** Index of the upload in the patient's series (names the readings). */
  readonly upload: number;
  /** Per device: how many readings, the first one's simulated time and the spacing (ms). */
  readonly devices: readonly { readonly kind: DeviceKind; readonly count: number; readonly firstMs: number; readonly intervalMs: number }[];
  readonly startDate: string;
  /** Stream for the measured values. */
  readonly rng: RandomStream;
}

const VITAL_SIGNS: Readonly<Record<DeviceKind, { code: string; display: string }>> = {
  cgm: { code: 'laboratory', display: 'Laboratory' },
  bpMonitor: { code: 'vital-signs', display: 'Vital Signs' },
  wearable: { code: 'vital-signs', display: 'Vital Signs' },
};

/** An IoT upload: each Device (conditional) and its readings as Observations (conditional), in a batch. */
export function observationBatch(b: ObservationBatchInput): Bundle {
  const p = b.identity.patient;
  const subject: Reference<FhirPatient> = { identifier: b.identity.lookup, display: `${b.identity.demographics.givenName} ${b.identity.demographics.familyName}` };
  const entry: BundleEntry[] = [];
  for (const { kind, count, firstMs, intervalMs } of b.devices) {
    const obs = DEVICE_OBSERVATION[kind];
    const deviceId = { system: SYSTEM.device, value: `${p.id}.${kind}` };
    const device: Device = { resourceType: 'Device', identifier: [deviceId], status: 'active', deviceName: [{ name: obs.display, type: 'user-friendly-name' }], patient: subject };
    entry.push({ resource: device, request: { method: 'POST', url: 'Device', ifNoneExist: identifierQuery(deviceId) } });
    for (let k = 0; k < count; k++) {
      const at = firstMs + k * intervalMs;
      const id = { system: SYSTEM.observation, value: `${p.id}.${kind}.${Math.round(at)}` };
      const o: Observation = {
        resourceType: 'Observation',
        identifier: [id],
        status: 'final',
        category: [{ coding: [{ system: SYSTEM.observationCategory, ...VITAL_SIGNS[kind] }] }],
        code: { coding: [{ system: SYSTEM.loinc, code: obs.loinc, display: obs.display }] },
        subject,
        device: { identifier: deviceId },
        effectiveDateTime: instantAt(b.startDate, at),
        ...reading(kind, b.rng),
      };
      entry.push({ resource: o, request: { method: 'POST', url: 'Observation', ifNoneExist: identifierQuery(id) } });
    }
  }
  return { resourceType: 'Bundle', type: 'batch', entry };
}

function quantity(value: number, unit: string): { value: number; unit: string; system: string; code: string } {
  return { value, unit, system: SYSTEM.ucum, code: unit };
}

function reading(kind: DeviceKind, rng: RandomStream): Pick<Observation, 'valueQuantity' | 'component'> {
  const obs = DEVICE_OBSERVATION[kind];
  if (kind === 'bpMonitor') {
    const [sys, dia] = obs.components;
    const component: ObservationComponent[] = [
      { code: { coding: [{ system: SYSTEM.loinc, code: sys!.loinc, display: sys!.display }] }, valueQuantity: quantity(Math.round(rng.normal(128, 12)), sys!.unit) },
      { code: { coding: [{ system: SYSTEM.loinc, code: dia!.loinc, display: dia!.display }] }, valueQuantity: quantity(Math.round(rng.normal(82, 8)), dia!.unit) },
    ];
    return { component };
  }
  const v = kind === 'cgm' ? rng.normal(115, 25) : rng.normal(74, 9);
  return { valueQuantity: quantity(Math.max(1, Math.round(v)), obs.unit) };
}
