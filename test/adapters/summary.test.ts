// The Patient Summary fetched MHD style (`summary: documentReference`, or
// `auto`). Against Medplum's engine: `--prepare --summary-via
// documentReference` seeds one document Bundle and one DocumentReference per
// patient (a second run creates nothing), and a short load finds each summary
// by DocumentReference search (xcaQuery) then `GET Bundle/{id}` (xcaRetrieve);
// `auto` asks the CapabilityStatement once. Against the tests' own small
// servers: the not-found answers map to ERROR_PS_NOT_FOUND, a Binary-wrapped
// document is read. Nothing here asserts a wall-clock time.
import type { ServerResponse } from 'node:http';
import { parseSearchRequest } from '@medplum/core';
import type { Bundle, DocumentReference, Patient } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  declaresSummary,
  documentPath,
  GatewayClient,
  newestCurrent,
  reasonForStatus,
  runLoad,
  summaryReferencesPath,
  SYSTEM,
  type PrepareResult,
} from '../../agents/adapters/index.ts';
import { loadCommand, type LoadArgs } from '../../cli/commands/load.ts';
import { loadReport, type LoadReport } from '../../reports/load-report.ts';
import type { AdapterSpec, SummaryMode } from '../../scenarios/adapter-spec.ts';
import { loadScenario, loadScenarioText } from '../../scenarios/load.ts';
import { cannedFhir, capture, FIXTURE, startServer, type TestServer } from './helpers.ts';
import { startMedplumServer, type MedplumServer } from './medplum-server.ts';

const DOCREF = 'GET /fhir/DocumentReference?patient={ref}&type=http://loinc.org|60591-5&status=current';
const DOCUMENT = 'GET /fhir/{attachment.url} (the Patient Summary document: Bundle or Binary)';
const OPERATION = 'GET /fhir/Patient/{id}/$summary';
const METADATA = 'GET /fhir/metadata';

function args(url: string, extra: Partial<LoadArgs> = {}): LoadArgs {
  return { scenario: FIXTURE, bind: [`ncp.FR=${url}`, `ncp.DE=${url}`], prepare: false, json: true, insecure: false, ...extra };
}

async function prepare(url: string, summaryVia?: SummaryMode): Promise<PrepareResult> {
  const io = capture();
  const code = await loadCommand(args(url, { prepare: true, ...(summaryVia === undefined ? {} : { summaryVia }) }), io);
  expect(code, io.stderr).toBe(0);
  return JSON.parse(io.stdout) as PrepareResult;
}

async function load(url: string, summaryVia: SummaryMode): Promise<LoadReport> {
  const io = capture();
  const code = await loadCommand(args(url, { speed: 10_000, duration: '3s', maxInFlight: 64, summaryVia }), io);
  expect(code, io.stderr).toBe(0);
  return JSON.parse(io.stdout) as LoadReport;
}

async function all<T extends Bundle | DocumentReference | Patient>(server: MedplumServer, type: T['resourceType']): Promise<T[]> {
  return (await server.repo.searchResources(parseSearchRequest<T>(type, { _count: '10000' }))) as T[];
}

/** How many resources carry each identifier value of `system` (Bundle.identifier is a single one). */
function byIdentifier(resources: readonly (Bundle | DocumentReference)[], system: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of resources) {
    const ids = r.resourceType === 'Bundle' ? (r.identifier === undefined ? [] : [r.identifier]) : (r.identifier ?? []);
    for (const i of ids) if (i.system === system && i.value !== undefined) out.set(i.value, (out.get(i.value) ?? 0) + 1);
  }
  return out;
}

/** The patientSummary flow found every summary, by query then retrieve, and only so. */
function allFoundByDocumentReference(report: LoadReport): void {
  const ps = report.flows['patientSummary']!;
  expect(ps.attempts).toBeGreaterThan(0);
  expect(ps.succeeded).toBe(ps.attempts);
  expect(ps.failed).toBe(0);
  expect(ps.failureReasons).toEqual({});
  expect(ps.steps['xcaQuery']).toMatchObject({ count: ps.attempts, failed: 0 });
  expect(ps.steps['xcaRetrieve']).toMatchObject({ count: ps.attempts, failed: 0 });
  const endpoints = report.endpoints!;
  expect(endpoints[DOCREF]).toMatchObject({ requests: ps.attempts, statusCounts: { '200': ps.attempts } });
  expect(endpoints[DOCUMENT]).toMatchObject({ requests: ps.attempts, statusCounts: { '200': ps.attempts } });
  expect(endpoints[OPERATION]).toBeUndefined();
  expect(Object.values(endpoints).reduce((n, e) => n + e.requests, 0)).toBe(report.load!.requests);
}

describe('summary: documentReference against Medplum (fhir-router 4.5.2)', () => {
  let server: MedplumServer;
  beforeAll(async () => {
    server = await startMedplumServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('--prepare seeds one document Bundle and one DocumentReference per patient; a second --prepare creates nothing', async () => {
    const first = (await prepare(server.url, 'documentReference')).gateways[server.url]!;
    expect(first.failed).toEqual({});
    expect(first.patients).toBeGreaterThan(0);
    expect(first.created['Bundle']).toBe(first.patients);
    expect(first.created['DocumentReference']).toBe(first.patients);

    const second = (await prepare(server.url, 'documentReference')).gateways[server.url]!;
    expect(second.created).toEqual({});
    expect(second.existing).toEqual({ ...first.created });

    const references = byIdentifier(await all<DocumentReference>(server, 'DocumentReference'), SYSTEM.documentReference);
    expect(references.size).toBe(first.patients);
    expect([...references.values()].every((n) => n === 1)).toBe(true);
    const documents = byIdentifier(await all<Bundle>(server, 'Bundle'), SYSTEM.patientSummary);
    expect(documents.size).toBe(first.patients);
    expect([...documents.values()].every((n) => n === 1)).toBe(true);
  });

  it("the search finds exactly the patient's own DocumentReference, and its attachment is their document", async () => {
    const patients = (await all<Patient>(server, 'Patient')).slice(0, 5);
    expect(patients.length).toBe(5);
    for (const p of patients) {
      const found = (await (await fetch(`${server.url}/${summaryReferencesPath(p.id!)}`)).json()) as Bundle<DocumentReference>;
      expect(found.entry?.length).toBe(1);
      const ref = found.entry![0]!.resource!;
      expect(ref.subject?.reference).toBe(`Patient/${p.id}`);
      const path = documentPath(ref, server.url);
      expect(path).toMatch(/^Bundle\/[^/]+$/);
      const doc = (await (await fetch(`${server.url}/${path}`)).json()) as Bundle;
      expect(doc.type).toBe('document');
      expect(doc.entry?.[0]?.resource?.resourceType).toBe('Composition');
      const pitsimId = p.identifier?.find((i) => i.system === SYSTEM.patient)?.value;
      expect(doc.identifier).toEqual({ system: SYSTEM.patientSummary, value: `${pitsimId}.ps` });
    }
  });

  it('a short load: every Patient Summary found by DocumentReference then Bundle (xcaQuery, xcaRetrieve)', async () => {
    allFoundByDocumentReference(await load(server.url, 'documentReference'));
  });

  it('auto on a gateway that declares $summary: one metadata read, then $summary', async () => {
    const report = await load(server.url, 'auto');
    const ps = report.flows['patientSummary']!;
    expect(ps.succeeded).toBe(ps.attempts);
    expect(report.endpoints![METADATA]).toMatchObject({ requests: 1, statusCounts: { '200': 1 } });
    expect(report.endpoints![OPERATION]!.requests).toBe(ps.attempts);
    expect(report.endpoints![DOCREF]).toBeUndefined();
  });
});

describe('summary: auto and not-found against Medplum', () => {
  let server: MedplumServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('auto on a gateway without $summary: one metadata read, then DocumentReference and Bundle', async () => {
    server = await startMedplumServer({ summaryOperation: false });
    const seeded = (await prepare(server.url, 'auto')).gateways[server.url]!;
    expect(seeded.created['DocumentReference']).toBe(seeded.patients);
    const report = await load(server.url, 'auto');
    allFoundByDocumentReference(report);
    expect(report.endpoints![METADATA]).toMatchObject({ requests: 1, statusCounts: { '200': 1 } });
  });

  it('prepared for $summary only (no documents): every DocumentReference search finds nothing, ERROR_PS_NOT_FOUND', async () => {
    server = await startMedplumServer();
    const seeded = (await prepare(server.url)).gateways[server.url]!;
    expect(seeded.created['DocumentReference']).toBeUndefined();
    const report = await load(server.url, 'documentReference');
    const ps = report.flows['patientSummary']!;
    expect(ps.attempts).toBeGreaterThan(0);
    expect(ps.failureReasons).toEqual({ ERROR_PS_NOT_FOUND: ps.attempts });
    expect(ps.outcomes).toEqual({ treatedWithoutSummary: ps.attempts });
    expect(ps.steps['xcaQuery']).toMatchObject({ count: ps.attempts, failed: ps.attempts });
    expect(ps.steps['xcaRetrieve']).toBeUndefined();
    expect(report.endpoints![DOCREF]!.statusCounts).toEqual({ '200': ps.attempts });
    expect(report.endpoints![DOCUMENT]).toBeUndefined();
  });
});

// ---- the tests' own small servers ---------------------------------------------

const base = loadScenario(FIXTURE);

async function run(url: string, summary: SummaryMode): Promise<LoadReport> {
  const adapter: AdapterSpec = { url, timeoutMs: 2000, connections: 8, summary };
  const spec = { ...base, adapters: { 'ncp.FR': adapter, 'ncp.DE': adapter } };
  const result = await runLoad(spec, {
    speed: 20_000,
    durationMs: 1200,
    maxInFlight: 64,
    gracefulStopMs: 1000,
    connect: (a) => new GatewayClient({ url: a.url, timeoutMs: a.timeoutMs, connections: a.connections }),
  });
  return loadReport(
    { scenario: spec.name, description: '', seed: spec.seed, durationMs: spec.durationMs, startDate: spec.startDate, version: 'test', specHash: '', policies: null, assumptions: {} },
    FIXTURE,
    result,
  );
}

function json(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(payload));
}

function docRef(url: string, date: string, extra: Partial<DocumentReference> = {}): DocumentReference {
  return { resourceType: 'DocumentReference', status: 'current', date, content: [{ attachment: { contentType: 'application/fhir+json', url } }], ...extra };
}

const DOCUMENT_BUNDLE: Bundle = { resourceType: 'Bundle', type: 'document', entry: [{ resource: { resourceType: 'Composition', status: 'final', type: {}, date: '2026-08-01', author: [], title: 'PS' } }] };

describe('summary: documentReference, known answers from small servers', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('no DocumentReference for the patient: ERROR_PS_NOT_FOUND, the query step fails, nothing is retrieved', async () => {
    // cannedFhir finds the patient and answers any other search with an empty searchset.
    server = await startServer((req, res, _n, body) => cannedFhir(req, res, body));
    const report = await run(server.url, 'documentReference');
    const ps = report.flows['patientSummary']!;
    expect(ps.attempts).toBeGreaterThan(0);
    expect(ps.failureReasons).toEqual({ ERROR_PS_NOT_FOUND: ps.attempts });
    expect(ps.steps['xcpd']).toMatchObject({ count: ps.attempts, failed: 0 });
    expect(ps.steps['xcaQuery']).toMatchObject({ count: ps.attempts, failed: ps.attempts });
    expect(report.endpoints![DOCUMENT]).toBeUndefined();
  });

  it('the document the DocumentReference points to is gone (404): ERROR_PS_NOT_FOUND at the retrieve step', async () => {
    server = await startServer((req, res, _n, body) => {
      const url = req.url ?? '';
      if (url.startsWith('/fhir/DocumentReference?')) return json(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: docRef('Bundle/gone', '2026-08-01T00:00:00Z') }] });
      if (url === '/fhir/Bundle/gone') return json(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
      cannedFhir(req, res, body);
    });
    const report = await run(server.url, 'documentReference');
    const ps = report.flows['patientSummary']!;
    expect(ps.attempts).toBeGreaterThan(0);
    expect(ps.failureReasons).toEqual({ ERROR_PS_NOT_FOUND: ps.attempts });
    expect(ps.steps['xcaQuery']).toMatchObject({ count: ps.attempts, failed: 0 });
    expect(ps.steps['xcaRetrieve']).toMatchObject({ count: ps.attempts, failed: ps.attempts });
    expect(report.endpoints![DOCUMENT]!.statusCounts).toEqual({ '404': ps.attempts });
  });

  it('the newest current DocumentReference wins; a Binary at an absolute URL under the base is unwrapped', async () => {
    let port = 0;
    server = await startServer((req, res, _n, body) => {
      const url = req.url ?? '';
      if (url.startsWith('/fhir/DocumentReference?')) {
        const entry = [
          docRef('Bundle/old', '2026-07-01T00:00:00Z'),
          docRef(`http://127.0.0.1:${port}/fhir/Binary/new`, '2026-08-01T00:00:00Z'),
          docRef('Bundle/superseded', '2026-09-01T00:00:00Z', { status: 'superseded' }),
        ].map((resource) => ({ resource }));
        return json(res, 200, { resourceType: 'Bundle', type: 'searchset', entry });
      }
      if (url === '/fhir/Binary/new') return json(res, 200, { resourceType: 'Binary', contentType: 'application/fhir+json', data: Buffer.from(JSON.stringify(DOCUMENT_BUNDLE)).toString('base64') });
      if (url.startsWith('/fhir/Bundle/')) return json(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
      cannedFhir(req, res, body);
    });
    port = Number(new URL(server.url).port);
    const report = await run(server.url, 'documentReference');
    const ps = report.flows['patientSummary']!;
    expect(ps.attempts).toBeGreaterThan(0);
    expect(ps.succeeded).toBe(ps.attempts);
    expect(report.endpoints![DOCUMENT]!.statusCounts).toEqual({ '200': ps.attempts });
  });

  it('auto, metadata answering 500 once: the first flows fail with its reason, later ones ask again', async () => {
    let metadata = 0;
    server = await startServer((req, res, _n, body) => {
      if ((req.url ?? '') === '/fhir/metadata') {
        metadata++;
        if (metadata === 1) return json(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] });
        return json(res, 200, { resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server' }] });
      }
      cannedFhir(req, res, body);
    });
    const report = await run(server.url, 'auto');
    const ps = report.flows['patientSummary']!;
    expect(metadata).toBe(2);
    expect(ps.failureReasons['InternalError']).toBeGreaterThan(0);
    // Declares no $summary: the rest went the DocumentReference way (cannedFhir has none).
    expect(ps.failureReasons['ERROR_PS_NOT_FOUND']).toBeGreaterThan(0);
    expect(report.endpoints![OPERATION]).toBeUndefined();
  });
});

describe('summary: the pieces', () => {
  it('maps 404 on either request to ERROR_PS_NOT_FOUND, a 422 to ERROR_PS_GENERIC', () => {
    expect(reasonForStatus('summaryDocRef', 404)).toBe('ERROR_PS_NOT_FOUND');
    expect(reasonForStatus('summaryDocument', 404)).toBe('ERROR_PS_NOT_FOUND');
    expect(reasonForStatus('summaryDocument', 410)).toBe('ERROR_PS_NOT_FOUND');
    expect(reasonForStatus('summaryDocRef', 422)).toBe('ERROR_PS_GENERIC');
    expect(reasonForStatus('summaryDocument', 503)).toBe('InternalError');
  });

  it('reads a CapabilityStatement for the summary operation, system-wide or on Patient', () => {
    const cs = (rest: object): unknown => ({ resourceType: 'CapabilityStatement', rest: [rest] });
    expect(declaresSummary(cs({ mode: 'server', operation: [{ name: 'summary', definition: 'http://hl7.org/fhir/uv/ips/OperationDefinition/summary' }] }))).toBe(true);
    expect(declaresSummary(cs({ mode: 'server', resource: [{ type: 'Patient', operation: [{ name: 'ips', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-summary' }] }] }))).toBe(true);
    expect(declaresSummary(cs({ mode: 'server', operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] }))).toBe(false);
    expect(declaresSummary(cs({ mode: 'client', operation: [{ name: 'summary' }] }))).toBe(false);
    expect(declaresSummary({ resourceType: 'OperationOutcome' })).toBe(false);
  });

  it('picks the newest current DocumentReference and a document path this gateway serves', () => {
    const a = docRef('Bundle/a', '2026-08-01T10:00:00+02:00');
    const b = docRef('Bundle/b', '2026-08-01T09:00:00Z');
    expect(newestCurrent([a, b])).toBe(b);
    expect(newestCurrent([docRef('x', '2026-01-01', { status: 'entered-in-error' })])).toBeUndefined();
    const gw = 'http://127.0.0.1:8080/fhir';
    expect(documentPath(docRef('Bundle/1', ''), gw)).toBe('Bundle/1');
    expect(documentPath(docRef('http://127.0.0.1:8080/fhir/Binary/2', ''), gw)).toBe('Binary/2');
    expect(documentPath(docRef('/fhir/Bundle/3', ''), gw)).toBe('Bundle/3');
    expect(documentPath(docRef('https://elsewhere.example/fhir/Bundle/4', ''), gw)).toBeNull();
    expect(documentPath(docRef('urn:uuid:0a0b', ''), gw)).toBeNull();
    const pdfFirst: DocumentReference = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/pdf' } }, { attachment: { contentType: 'application/fhir+json', url: 'Bundle/5' } }] };
    expect(documentPath(pdfFirst, gw)).toBe('Bundle/5');
  });

  it('reads `summary:` in the scenario, and --summary-via explains a bad mode like the loader does', async () => {
    const text = `name: t\ndescription: s\nduration: 1d\ncountries: { DE: {}, FR: {} }\npopulation:\n  - { name: c, count: 5, home: DE, destination: FR }\nadapters:\n  ncp.FR: { url: http://127.0.0.1:8080/fhir, summary: auto }\n`;
    expect(loadScenarioText(text, 'x.yaml').adapters).toEqual({ 'ncp.FR': { url: 'http://127.0.0.1:8080/fhir', timeoutMs: 10_000, connections: 16, summary: 'auto' } });
    const io = capture();
    expect(await loadCommand(args('http://127.0.0.1:1/fhir', { summaryVia: 'documentreferense' }), io)).toBe(2);
    expect(io.stderr).toContain('--summary-via:1:1: documentreferense: unknown value `documentreferense` (expected one of operation, documentReference, auto); hint: did you mean `documentReference`?');
    expect(io.stdout).toBe('');
  });
});
