/**
 * The Patient Summary as a stored document, for gateways that serve it MHD
 * style (`summary: documentReference`): a FHIR document Bundle whose first
 * entry is the IPS Composition (LOINC 60591-5; the problem, allergy and
 * medication sections the test gateway's `$summary` also builds), and the
 * DocumentReference (status current, type 60591-5) whose attachment points at
 * it. `--prepare` adds both to the patient's seeding transaction, each created
 * only if its identifier is new, so preparing twice stores one of each. The
 * document is self-contained: its entries are copies with their own urn:uuid
 * fullUrls, never the server's resources. Pure; dates from the start date.
 */
import type { Bundle, BundleEntry, Composition, CompositionSection, DocumentReference, Identifier, Narrative, Patient as FhirPatient, Reference, Resource } from '@medplum/fhirtypes';
import type { Catalogue } from '../../scenarios/reference/types.ts';
import type { Patient } from '../population/index.ts';
import { conditionResource, identifierQuery, medicationRequestResource, medicationResource, nameUuid, patientFullUrl, patientResource, SYSTEM, type PatientIdentity } from './fhir.ts';

/** LOINC "Patient summary Document": the type of the Composition and of the DocumentReference. */
export const PATIENT_SUMMARY_TYPE = Object.freeze({ system: SYSTEM.loinc, code: '60591-5', display: 'Patient summary Document' });

/** The IPS sections every summary carries (ISO 27269's required three), empty ones with an emptyReason. */
export const PATIENT_SUMMARY_SECTIONS = Object.freeze({
  problems: { code: '11450-4', display: 'Problem list' },
  allergies: { code: '48765-2', display: 'Allergies and adverse reactions' },
  medications: { code: '10160-0', display: 'History of Medication use' },
});

export const FHIR_JSON = 'application/fhir+json';

/** The document's unique id (Bundle.identifier, Composition.identifier, DocumentReference.masterIdentifier). */
export function summaryDocumentIdentifier(p: Patient): Identifier {
  return { system: SYSTEM.patientSummary, value: `${p.id}.ps` };
}

/** The DocumentReference's own identifier (its If-None-Exist). */
export function summaryReferenceIdentifier(p: Patient): Identifier {
  return { system: SYSTEM.documentReference, value: `${p.id}.ps` };
}

/** XHTML narrative of a section (cmp-1: a section needs text, entries or sub-sections; IPS wants text in each). */
function narrative(lines: readonly string[]): Narrative {
  const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = lines.length === 1 ? `<p>${esc(lines[0]!)}</p>` : `<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}

function section(s: { code: string; display: string }, entries: readonly string[], lines: readonly string[]): CompositionSection {
  return {
    title: s.display,
    code: { coding: [{ system: SYSTEM.loinc, code: s.code, display: s.display }] },
    text: narrative(lines),
    ...(entries.length > 0
      ? { entry: entries.map((reference) => ({ reference })) }
      : { emptyReason: { coding: [{ system: SYSTEM.listEmptyReason, code: 'unavailable', display: 'Unavailable' }] } }),
  };
}

/**
 * The patient's summary as a FHIR document: Composition first, then the
 * Patient, their Conditions, the Medications prescribed and the
 * MedicationRequests, each entry named by a urn:uuid derived from the patient.
 */
export function patientSummaryDocument(id: PatientIdentity, catalogue: Catalogue, startDate: string): Bundle {
  const p = id.patient;
  const url = (name: string): string => `urn:uuid:${nameUuid(`ps/${p.id}/${name}`)}`;
  const at = `${startDate}T00:00:00Z`;
  const patientUrl = url('patient');
  const subject: Reference<FhirPatient> = { reference: patientUrl };
  const resources: [string, Resource][] = [[patientUrl, patientResource(id)]];
  const displays = new Map(catalogue.conditions.map((c) => [c.icd10, c.display]));
  const problems: string[] = [];
  const problemLines: string[] = [];
  const conditionUrls = new Map<string, string>();
  for (const icd10 of p.conditions) {
    const u = url(`condition/${icd10}`);
    problems.push(u);
    problemLines.push(`${displays.get(icd10) ?? icd10} (ICD-10 ${icd10})`);
    conditionUrls.set(icd10, u);
    resources.push([u, conditionResource(id, icd10, displays.get(icd10) ?? icd10, subject, startDate)]);
  }
  const medications: string[] = [];
  const medicationLines: string[] = [];
  const medicationUrls = new Map<string, string>();
  for (const rx of p.prescriptions) {
    let med = medicationUrls.get(rx.atc);
    if (med === undefined) {
      const m = catalogue.medications.find((x) => x.atc === rx.atc);
      if (m === undefined) throw new Error(`no catalogue medication for ATC ${rx.atc}`);
      medicationLines.push(`${m.strength === undefined ? m.inn : `${m.inn} ${m.strength}`} (ATC ${m.atc})`);
      med = url(`medication/${rx.atc}`);
      medicationUrls.set(rx.atc, med);
      resources.push([med, medicationResource(m)]);
    }
    const reason = conditionUrls.get(rx.condition);
    const u = url(`prescription/${rx.id}`);
    medications.push(u);
    resources.push([u, medicationRequestResource(rx, subject, { reference: med }, reason === undefined ? null : { reference: reason }, at)]);
  }
  const composition: Composition = {
    resourceType: 'Composition',
    identifier: summaryDocumentIdentifier(p),
    status: 'final',
    type: { coding: [{ ...PATIENT_SUMMARY_TYPE }] },
    subject,
    date: at,
    author: [{ display: 'pitsim' }],
    title: 'International Patient Summary',
    section: [
      section(PATIENT_SUMMARY_SECTIONS.problems, problems, problems.length > 0 ? problemLines : ['No known problems.']),
      section(PATIENT_SUMMARY_SECTIONS.allergies, [], ['No information about allergies.']),
      section(PATIENT_SUMMARY_SECTIONS.medications, medications, medications.length > 0 ? medicationLines : ['No known medications.']),
    ],
  };
  const entry: BundleEntry[] = [{ fullUrl: url('composition'), resource: composition }, ...resources.map(([fullUrl, resource]) => ({ fullUrl, resource }))];
  return { resourceType: 'Bundle', identifier: summaryDocumentIdentifier(p), type: 'document', timestamp: at, entry };
}

/** The DocumentReference of a summary document: current, typed 60591-5, its attachment at `documentUrl`. */
export function summaryDocumentReference(p: Patient, subject: Reference<FhirPatient>, documentUrl: string, startDate: string): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    masterIdentifier: summaryDocumentIdentifier(p),
    identifier: [summaryReferenceIdentifier(p)],
    status: 'current',
    type: { coding: [{ ...PATIENT_SUMMARY_TYPE }] },
    subject,
    date: `${startDate}T00:00:00Z`,
    description: 'International Patient Summary',
    content: [{ attachment: { contentType: FHIR_JSON, url: documentUrl, title: 'International Patient Summary' } }],
  };
}

/**
 * The two entries `--prepare` appends to a patient's seeding transaction: the
 * document Bundle, then its DocumentReference, whose subject is the
 * transaction's Patient entry and whose attachment is the Bundle entry's
 * fullUrl (a transaction rewrites both to the server's ids).
 */
export function patientSummaryEntries(id: PatientIdentity, catalogue: Catalogue, startDate: string): BundleEntry[] {
  const p = id.patient;
  const documentUrl = `urn:uuid:${nameUuid(`ps-document/${p.id}`)}`;
  const reference = summaryDocumentReference(p, { reference: patientFullUrl(p) }, documentUrl, startDate);
  return [
    { fullUrl: documentUrl, resource: patientSummaryDocument(id, catalogue, startDate), request: { method: 'POST', url: 'Bundle', ifNoneExist: identifierQuery(summaryDocumentIdentifier(p)) } },
    {
      fullUrl: `urn:uuid:${nameUuid(`ps-reference/${p.id}`)}`,
      resource: reference,
      request: { method: 'POST', url: 'DocumentReference', ifNoneExist: identifierQuery(summaryReferenceIdentifier(p)) },
    },
  ];
}
