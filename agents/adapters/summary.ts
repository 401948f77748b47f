/**
 * The retrieval step of a patientSummary flow, in the gateway's own way
 * (SummaryMode, scenarios/adapter-spec.ts):
 *
 * - operation: `GET Patient/{id}/$summary` (step xcaRetrieve);
 * - documentReference (MHD): `GET DocumentReference?patient=Patient/{id}&type=
 *   http://loinc.org|60591-5&status=current` (step xcaQuery, like XCA's
 *   FindDocuments), then the newest current one's attachment, `GET Bundle/{id}`
 *   or `GET Binary/{id}` (step xcaRetrieve, like XCA's Retrieve);
 * - auto: `GET metadata` once per endpoint (shared by the flows that start
 *   while it is outstanding); `operation` when the CapabilityStatement declares
 *   the `summary` operation, else `documentReference`. A failed read (5xx,
 *   busy, transport) fails the flow with its reason and is asked again by the
 *   next flow; a 4xx or an answer that is no CapabilityStatement declares
 *   nothing: documentReference.
 *
 * Reasons: no DocumentReference, no attachment this gateway can serve, or a
 * 404/410 on either request is ERROR_PS_NOT_FOUND, as a 404 on $summary is;
 * an answer that is not a document Bundle starting with a Composition is
 * ERROR_PS_MISSING_BASIC_SECTIONS; other statuses per outcome.ts. Requests go
 * through `send` (flows.ts binds `call()`), so retries and tallies are as
 * for every other request.
 */
import type { Binary, Bundle, BundleEntry, CapabilityStatement, DocumentReference, Resource } from '@medplum/fhirtypes';
import type { SummaryMode } from '../../scenarios/adapter-spec.ts';
import type { FlowRecorder } from '../recorders.ts';
import { PATIENT_SUMMARY_TYPE } from './fhir-summary.ts';
import type { CallResult } from './flows.ts';
import type { GatewayRequest } from './gateway.ts';
import { ADAPTER_REASON, type Interaction } from './outcome.ts';

/** Sends one request of a flow (with its retries, tallies and stop signal). */
export type SummarySend = (interaction: Interaction, req: GatewayRequest) => Promise<CallResult>;

/** A mode a gateway is asked in: auto resolved. */
export type SummaryRetrieval = Exclude<SummaryMode, 'auto'>;

/** The resources of a Bundle answer, minus `_include`d ones; [] for anything else. */
export function bundleResources(body: unknown): Resource[] {
  if (body === null || typeof body !== 'object' || (body as Resource).resourceType !== 'Bundle') return [];
  return ((body as Bundle).entry ?? []).filter((e: BundleEntry) => e.resource !== undefined && e.search?.mode !== 'include').map((e) => e.resource!);
}

// ---- auto: the CapabilityStatement, once per endpoint ----------------------

const resolved = new WeakMap<object, Promise<{ mode: SummaryRetrieval } | { reason: string }>>();

/**
 * The retrieval to use at the endpoint `key` (its client): `mode` itself
 * unless auto; auto reads the CapabilityStatement the first time and keeps
 * the answer, or the reason it could not be read (that flow fails; the next
 * one asks again).
 */
export function summaryRetrieval(key: object, mode: SummaryMode, send: SummarySend): Promise<{ mode: SummaryRetrieval } | { reason: string }> {
  if (mode !== 'auto') return Promise.resolve({ mode });
  let r = resolved.get(key);
  if (r === undefined) {
    r = send('metadata', { method: 'GET', path: 'metadata' }).then((m) => {
      if (m.ok) return { mode: declaresSummary(m.body) ? 'operation' : 'documentReference' };
      if (m.status !== undefined && m.status >= 400 && m.status < 500 && m.status !== 429) return { mode: 'documentReference' };
      resolved.delete(key);
      return { reason: m.reason };
    });
    resolved.set(key, r);
  }
  return r;
}

const SUMMARY_DEFINITION = /\/OperationDefinition\/(Patient-)?summary(\|.*)?$/;

/** True when a CapabilityStatement declares `$summary` (system-wide or on Patient). */
export function declaresSummary(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || (body as Resource).resourceType !== 'CapabilityStatement') return false;
  const named = (ops: readonly { name?: string; definition?: string }[] | undefined): boolean =>
    (ops ?? []).some((o) => o.name?.replace(/^\$/, '') === 'summary' || SUMMARY_DEFINITION.test(o.definition ?? ''));
  return ((body as CapabilityStatement).rest ?? []).some(
    (rest) => rest.mode !== 'client' && (named(rest.operation) || (rest.resource ?? []).some((r) => r.type === 'Patient' && named(r.operation))),
  );
}

// ---- the retrieval ------------------------------------------------------------

/** Fetches the patient's summary and records the steps; the failure reason, or null. */
export async function retrieveSummary(send: SummarySend, mode: SummaryRetrieval, gatewayUrl: string, patientId: string, flow: FlowRecorder): Promise<string | null> {
  return mode === 'operation' ? byOperation(send, patientId, flow) : byDocumentReference(send, gatewayUrl, patientId, flow);
}

async function byOperation(send: SummarySend, patientId: string, flow: FlowRecorder): Promise<string | null> {
  const s0 = performance.now();
  const r = await send('summary', { method: 'GET', path: `Patient/${encodeURIComponent(patientId)}/$summary` });
  const reason = r.ok ? documentProblem(r.body) : r.reason;
  if (reason === null) flow.step('xcaRetrieve').ok(performance.now() - s0);
  else flow.step('xcaRetrieve').fail();
  return reason;
}

/** The DocumentReference search of a patient's current summaries. */
export function summaryReferencesPath(patientId: string): string {
  const type = encodeURIComponent(`${PATIENT_SUMMARY_TYPE.system}|${PATIENT_SUMMARY_TYPE.code}`);
  return `DocumentReference?patient=${encodeURIComponent(`Patient/${patientId}`)}&type=${type}&status=current`;
}

async function byDocumentReference(send: SummarySend, gatewayUrl: string, patientId: string, flow: FlowRecorder): Promise<string | null> {
  const s0 = performance.now();
  const q = await send('summaryDocRef', { method: 'GET', path: summaryReferencesPath(patientId) });
  if (!q.ok) {
    flow.step('xcaQuery').fail();
    return q.reason;
  }
  const newest = newestCurrent(bundleResources(q.body));
  if (newest === undefined) {
    flow.step('xcaQuery').fail();
    return ADAPTER_REASON.psNotFound;
  }
  flow.step('xcaQuery').ok(performance.now() - s0);
  const s1 = performance.now();
  const path = documentPath(newest, gatewayUrl);
  // A DocumentReference whose document this gateway cannot serve: nothing to retrieve.
  const r = path === null ? null : await send('summaryDocument', { method: 'GET', path });
  const reason = r === null ? ADAPTER_REASON.psNotFound : r.ok ? documentProblem(unwrapBinary(r.body)) : r.reason;
  if (reason === null) flow.step('xcaRetrieve').ok(performance.now() - s1);
  else flow.step('xcaRetrieve').fail();
  return reason;
}

/**
 * The newest current DocumentReference (by `date`, then `meta.lastUpdated`):
 * picked here because MHD's Find Document References does not oblige a
 * server to support `_sort`. Servers that ignore `status` are filtered too.
 */
export function newestCurrent(resources: readonly Resource[]): DocumentReference | undefined {
  let best: DocumentReference | undefined;
  let bestAt = -Infinity;
  for (const r of resources) {
    if (r.resourceType !== 'DocumentReference' || r.status !== 'current') continue;
    const at = Date.parse(r.date ?? r.meta?.lastUpdated ?? '');
    const t = Number.isNaN(at) ? -Infinity : at;
    if (best === undefined || t > bestAt) {
      best = r;
      bestAt = t;
    }
  }
  return best;
}

const JSON_TYPE = /json/i;

/**
 * The path, relative to the gateway's base, of a DocumentReference's document:
 * the first attachment in FHIR JSON (else the first with a URL) when it is
 * relative (`Bundle/{id}`) or under the gateway's base URL; null otherwise
 * (no URL, another server, a urn), as pitsim keeps one pool per gateway.
 */
export function documentPath(ref: DocumentReference, gatewayUrl: string): string | null {
  const attachments = (ref.content ?? []).map((c) => c.attachment).filter((a) => a?.url !== undefined && a.url !== '');
  const a = attachments.find((x) => JSON_TYPE.test(x.contentType ?? '')) ?? attachments[0];
  const url = a?.url;
  if (url === undefined) return null;
  const base = gatewayUrl.replace(/\/+$/, '');
  if (url.startsWith(`${base}/`)) return url.slice(base.length + 1);
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return null;
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  if (url.startsWith('/')) return basePath !== '' && url.startsWith(`${basePath}/`) ? url.slice(basePath.length + 1) : null;
  return url;
}

/** A Binary answer's content parsed when it is JSON (a server may wrap the Bundle so); anything else as it is. */
function unwrapBinary(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || (body as Resource).resourceType !== 'Binary') return body;
  const b = body as Binary;
  if (b.data === undefined || !JSON_TYPE.test(b.contentType ?? '')) return body;
  try {
    return JSON.parse(Buffer.from(b.data, 'base64').toString('utf8')) as unknown;
  } catch {
    return body;
  }
}

/** null when the answer is a document Bundle whose first entry is a Composition; else the missing-sections reason. */
function documentProblem(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || (body as Resource).resourceType !== 'Bundle') return ADAPTER_REASON.psMissingSections;
  const b = body as Bundle;
  return b.type === 'document' && b.entry?.[0]?.resource?.resourceType === 'Composition' ? null : ADAPTER_REASON.psMissingSections;
}
