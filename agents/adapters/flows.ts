/**
 * A planned flow as real FHIR R4 requests against its gateway, recorded in the
 * simulator's own vocabulary (flows, steps, failure reasons, outcomes):
 *
 * - patientSummary: `GET Patient?identifier=` (step xcpd), then, as the
 *   binding's `summary` mode says (summary.ts): `GET Patient/{id}/$summary`
 *   (step xcaRetrieve; the default), or MHD's `GET DocumentReference?patient=
 *   &type=http://loinc.org|60591-5&status=current` (step xcaQuery) then the
 *   document its attachment points to, `GET Bundle/{id}` or `Binary/{id}`
 *   (step xcaRetrieve), or whichever the CapabilityStatement (`GET metadata`,
 *   once per endpoint) implies. Either way a document Bundle whose first
 *   entry is a Composition.
 * - ePrescription: xcpd, then `GET MedicationRequest?subject=&status=active&
 *   intent=order&_include=MedicationRequest:medication` (step xcaQuery) must
 *   list the prescription line; then eDispensation: one transaction with the
 *   MedicationDispense (If-None-Exist on its identifier) and the
 *   MedicationRequest set to completed (If-Match on the version read), step
 *   xdrSubmit. A 409/412 after an attempt whose answer was lost is checked
 *   with `GET MedicationDispense?identifier=`: if the earlier attempt recorded
 *   it, the dispensation succeeded (warning RECORDED_BY_EARLIER_ATTEMPT).
 * - iotUpload: one batch of Device + Observations (each If-None-Exist).
 *
 * Each request is retried per the scenario's retry policy when retryable
 * (outcome.ts), honouring Retry-After, never past the run's graceful stop. The flow's
 * latency runs from its PLANNED start (coordinated-omission corrected); step
 * latencies and service times from the actual send.
 */
import type { Bundle, BundleEntry, MedicationRequest, Resource } from '@medplum/fhirtypes';
import { performance } from 'node:perf_hooks';
import type { RandomStream } from '../../engine/index.ts';
import type { Fallback, RetryPolicy, ScenarioSpec } from '../../scenarios/spec.ts';
import type { SubstitutionCode } from '../../scenarios/reference/types.ts';
import { DEFAULT_SUMMARY_MODE } from '../../scenarios/adapter-spec.ts';
import { GENERIC_SUBSTITUTION_SHARE } from '../behaviour.ts';
import { fieldsPerReading, IotRecorder } from '../iot/index.ts';
import { REASON } from '../reasons.ts';
import type { FlowRecorder, FlowRecorders } from '../recorders.ts';
import { dispensationTransaction, dispenseIdentifier, identifierQuery, instantAt, observationBatch, type PatientIdentity } from './fhir.ts';
import { retryAfterMs, type GatewayClient, type GatewayRequest, type GatewayResult, type ResponseHeaders } from './gateway.ts';
import { ADAPTER_REASON, reasonForStatus, reasonForTransport, retryable, type Interaction } from './outcome.ts';
import type { PlannedFlow } from './plan.ts';
import type { EndpointStats } from './result.ts';
import { retrieveSummary, summaryRetrieval, type SummarySend } from './summary.ts';

/** Endpoint templates (method, path relative to the FHIR base, what a POST carries) that key the per-endpoint tallies. */
export const ENDPOINT: Readonly<Record<Interaction, { readonly method: string; readonly path: string; readonly note?: string }>> = Object.freeze({
  metadata: { method: 'GET', path: 'metadata' },
  identify: { method: 'GET', path: 'Patient?identifier={system|value}' },
  summary: { method: 'GET', path: 'Patient/{id}/$summary' },
  summaryDocRef: { method: 'GET', path: 'DocumentReference?patient={ref}&type=http://loinc.org|60591-5&status=current' },
  summaryDocument: { method: 'GET', path: '{attachment.url}', note: 'the Patient Summary document: Bundle or Binary' },
  prescriptions: { method: 'GET', path: 'MedicationRequest?subject={ref}&status=active&intent=order&_include=MedicationRequest:medication' },
  dispense: { method: 'POST', path: '', note: 'transaction: MedicationDispense + MedicationRequest' },
  verifyDispense: { method: 'GET', path: 'MedicationDispense?identifier={system|value}' },
  iotBatch: { method: 'POST', path: '', note: 'batch: Device + Observation' },
  prepare: { method: 'POST', path: '', note: 'transaction: seeding' },
});

/** `GET /fhir/Patient?identifier={system|value}`: the key of an interaction's tallies at this client. */
export function endpointKey(client: GatewayClient, interaction: Interaction): string {
  let keys = endpointKeys.get(client);
  if (keys === undefined) {
    keys = new Map();
    endpointKeys.set(client, keys);
  }
  let key = keys.get(interaction);
  if (key === undefined) {
    const e = ENDPOINT[interaction];
    key = `${e.method} ${client.pathFor(e.path)}${e.note === undefined ? '' : ` (${e.note})`}`;
    keys.set(interaction, key);
  }
  return key;
}
const endpointKeys = new WeakMap<GatewayClient, Map<Interaction, string>>();

export const RECORDED_BY_EARLIER_ATTEMPT = 'WARNING_ED_RECORDED_BY_EARLIER_ATTEMPT';
const FALLBACKS: readonly Fallback[] = ['payPrivately', 'paperPrescription', 'goWithout'];

/** What the executor shares across flows. */
export interface ExecContext {
  readonly spec: ScenarioSpec;
  readonly flows: FlowRecorders;
  readonly iot: IotRecorder;
  /** Request tallies by endpoint; the run's service time is theirs merged. */
  readonly endpoints: EndpointStats;
  readonly retry: RetryPolicy;
  /** performance.now() after which no retry starts. */
  readonly retryDeadline: number;
  clientFor(url: string): GatewayClient;
  identity(flow: PlannedFlow): PatientIdentity;
  /** The flow's own stream. */
  stream(flow: PlannedFlow): RandomStream;
  readonly counters: { requests: number; retries: number; interrupted: number };
}

/**
 * What a call came to: the gateway's answer itself when it succeeded (its body
 * parsed only if read: a caller that needs only the status never parses it),
 * or the failure in the simulator's vocabulary. `lostAnswer`: an attempt's
 * answer never arrived (timeout, connection), so a write may have happened
 * (on success only set, to true, by a retry after such an attempt).
 */
export type CallResult =
  | (Answer & { readonly lostAnswer?: true })
  | { readonly ok: false; readonly reason: string; readonly status: number | undefined; readonly lostAnswer: boolean };
type Answer = Extract<GatewayResult, { readonly ok: true }>;

/** A success after an attempt whose answer was lost: the answer, marked (rare: no cost on the usual path). */
class AnsweredAfterLoss {
  readonly ok = true as const;
  readonly lostAnswer = true as const;
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly sentAt: number;
  readonly doneAt: number;

  constructor(private readonly answer: Answer) {
    this.status = answer.status;
    this.headers = answer.headers;
    this.sentAt = answer.sentAt;
    this.doneAt = answer.doneAt;
  }

  get body(): unknown {
    return this.answer.body;
  }
}

/** Sends a request with retries; records endpoint tallies and service times. */
export async function call(
  ctx: Pick<ExecContext, 'endpoints' | 'retry' | 'retryDeadline' | 'counters'>,
  client: GatewayClient,
  interaction: Interaction,
  req: GatewayRequest,
  rng: RandomStream,
  signal: AbortSignal,
): Promise<CallResult> {
  const key = endpointKey(client, interaction);
  let lostAnswer = false;
  for (let attempt = 0; ; attempt++) {
    const res: GatewayResult = await client.request(req, signal);
    let reason: string | null;
    let status: number | undefined;
    if (res.ok) {
      ctx.counters.requests++;
      ctx.endpoints.answered(key, res.status, res.doneAt - res.sentAt);
      status = res.status;
      reason = reasonForStatus(interaction, res.status);
      if (reason === null) return lostAnswer ? new AnsweredAfterLoss(res) : res;
    } else {
      reason = reasonForTransport(res.error);
      if (res.error !== 'ABORTED') {
        ctx.counters.requests++;
        ctx.endpoints.failed(key, reason, res.doneAt - res.sentAt);
      }
      if (res.error === 'TIMEOUT' || res.error === 'CONNECTION') lostAnswer = true;
    }
    if (signal.aborted) return { ok: false, reason: ADAPTER_REASON.interrupted, status, lostAnswer };
    if (!retryable(reason, status) || attempt >= ctx.retry.max) return { ok: false, reason, status, lostAnswer };
    let delay = ctx.retry.backoffMs * ctx.retry.factor ** attempt * (1 + ctx.retry.jitter * (2 * rng.next() - 1));
    const after = res.ok ? retryAfterMs(res.headers) : undefined;
    if (after !== undefined && after > delay) delay = after;
    if (performance.now() + delay > ctx.retryDeadline) return { ok: false, reason, status, lostAnswer };
    await sleep(delay, signal);
    if (signal.aborted) return { ok: false, reason: ADAPTER_REASON.interrupted, status, lostAnswer };
    ctx.counters.retries++;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs one planned flow; never rejects. `plannedAt` is its planned start (performance.now clock). */
export async function runFlow(ctx: ExecContext, f: PlannedFlow, plannedAt: number, signal: AbortSignal): Promise<void> {
  switch (f.kind) {
    case 'patientSummary':
      return patientSummary(ctx, f, plannedAt, signal);
    case 'ePrescription':
      return ePrescription(ctx, f, plannedAt, signal);
    case 'iotUpload':
      return iotUpload(ctx, f, plannedAt, signal);
  }
}

function fail(ctx: ExecContext, flow: FlowRecorder, reason: string): void {
  if (reason === ADAPTER_REASON.interrupted) ctx.counters.interrupted++;
  flow.failure(reason);
}

function entries(body: unknown): BundleEntry[] {
  if (body === null || typeof body !== 'object' || (body as Resource).resourceType !== 'Bundle') return [];
  return (body as Bundle).entry ?? [];
}

/** XCPD's analogue: the patient's server id, or the failure reason. */
async function identify(ctx: ExecContext, client: GatewayClient, id: PatientIdentity, flow: FlowRecorder, rng: RandomStream, signal: AbortSignal): Promise<{ id: string } | { reason: string }> {
  const s0 = performance.now();
  const r = await call(ctx, client, 'identify', { method: 'GET', path: `Patient?${identifierQuery(id.lookup)}` }, rng, signal);
  if (!r.ok) {
    flow.step('xcpd').fail();
    return { reason: r.reason };
  }
  const found = entries(r.body).filter((e) => e.resource?.resourceType === 'Patient' && e.search?.mode !== 'include');
  if (found.length !== 1 || found[0]!.resource!.id === undefined) {
    flow.step('xcpd').fail();
    return { reason: found.length === 0 ? REASON.noMatch : ADAPTER_REASON.multipleMatches };
  }
  flow.step('xcpd').ok(performance.now() - s0);
  return { id: found[0]!.resource!.id };
}

async function patientSummary(ctx: ExecContext, f: PlannedFlow, plannedAt: number, signal: AbortSignal): Promise<void> {
  const flow = ctx.flows.get('patientSummary');
  flow.start();
  const rng = ctx.stream(f);
  const client = ctx.clientFor(f.route.adapter.url);
  const who = await identify(ctx, client, ctx.identity(f), flow, rng, signal);
  let reason: string | null = 'reason' in who ? who.reason : null;
  if ('id' in who) {
    const send: SummarySend = (interaction, req) => call(ctx, client, interaction, req, rng, signal);
    const how = await summaryRetrieval(client, f.route.adapter.summary ?? DEFAULT_SUMMARY_MODE, send);
    reason = 'reason' in how ? how.reason : await retrieveSummary(send, how.mode, client.url, who.id, flow);
  }
  if (reason === null) {
    flow.success(performance.now() - plannedAt);
    flow.outcome('treatedWithSummary');
  } else {
    fail(ctx, flow, reason);
    flow.outcome('treatedWithoutSummary');
  }
}

async function ePrescription(ctx: ExecContext, f: PlannedFlow, plannedAt: number, signal: AbortSignal): Promise<void> {
  const flow = ctx.flows.get('ePrescription');
  flow.start();
  const rx = f.prescription!;
  const rng = ctx.stream(f);
  const client = ctx.clientFor(f.route.adapter.url);
  const who = await identify(ctx, client, ctx.identity(f), flow, rng, signal);
  let reason: string | null = 'reason' in who ? who.reason : null;
  let request: MedicationRequest | null = null;
  if ('id' in who) {
    const s0 = performance.now();
    const subject = encodeURIComponent(`Patient/${who.id}`);
    const r = await call(
      ctx,
      client,
      'prescriptions',
      { method: 'GET', path: `MedicationRequest?subject=${subject}&status=active&intent=order&_include=MedicationRequest:medication` },
      rng,
      signal,
    );
    if (!r.ok) reason = r.reason;
    else {
      const line = entries(r.body).find(
        (e) => e.resource?.resourceType === 'MedicationRequest' && (e.resource as MedicationRequest).identifier?.some((i) => i.value === rx.id) === true,
      );
      if (line === undefined) reason = ADAPTER_REASON.epNotMatching;
      else request = line.resource as MedicationRequest;
    }
    if (reason === null) flow.step('xcaQuery').ok(performance.now() - s0);
    else flow.step('xcaQuery').fail();
  }
  if (reason !== null || request === null || !('id' in who)) {
    fail(ctx, flow, reason ?? ADAPTER_REASON.epNotMatching);
    const weights = ctx.spec.population.find((c) => c.name === f.patient.cohort)?.fallback;
    flow.outcome(weights === undefined ? 'goWithout' : FALLBACKS[rng.weightedIndex(FALLBACKS.map((k) => weights[k]))]!);
    return;
  }
  flow.success(performance.now() - plannedAt);
  flow.outcome('dispensed');
  const substitution: SubstitutionCode = rx.substitution !== 'N' && !rx.brandOnly && rng.next() < GENERIC_SUBSTITUTION_SHARE ? rx.substitution : 'N';
  await eDispensation(ctx, f, client, who.id, request, substitution, rng, signal);
}

async function eDispensation(
  ctx: ExecContext,
  f: PlannedFlow,
  client: GatewayClient,
  patientId: string,
  request: MedicationRequest,
  substitution: SubstitutionCode,
  rng: RandomStream,
  signal: AbortSignal,
): Promise<void> {
  const flow = ctx.flows.get('eDispensation');
  flow.start();
  const rx = f.prescription!;
  const t0 = performance.now();
  const body = dispensationTransaction({ rx, patientId, request, handedOver: instantAt(ctx.spec.startDate, f.atMs), substitution, ifMatch: true });
  const r = await call(ctx, client, 'dispense', { method: 'POST', path: '', body }, rng, signal);
  let reason: string | null = r.ok ? null : r.reason;
  if (r.ok) {
    const bad = entries(r.body).find((e) => !/^2\d\d/.test(e.response?.status ?? ''));
    if (bad !== undefined) reason = reasonForStatus('dispense', Number.parseInt(bad.response?.status ?? '500', 10)) ?? ADAPTER_REASON.edGeneric;
  }
  let warning: string | null = null;
  if (reason === REASON.alreadyDispensed && r.lostAnswer) {
    // An earlier attempt's answer was lost: did it record the dispensation?
    const v = await call(ctx, client, 'verifyDispense', { method: 'GET', path: `MedicationDispense?${identifierQuery(dispenseIdentifier(rx))}` }, rng, signal);
    if (v.ok && entries(v.body).some((e) => e.resource?.resourceType === 'MedicationDispense')) {
      reason = null;
      warning = RECORDED_BY_EARLIER_ATTEMPT;
    }
  }
  if (reason === null) {
    flow.step('xdrSubmit').ok(performance.now() - t0);
    flow.success(performance.now() - t0);
    flow.outcome('acknowledged');
    if (warning !== null) flow.warning(warning);
  } else {
    flow.step('xdrSubmit').fail();
    fail(ctx, flow, reason);
    flow.outcome(r.lostAnswer || reason === REASON.internal || reason === ADAPTER_REASON.interrupted ? 'ackNotReceived' : 'notRecorded');
  }
}

async function iotUpload(ctx: ExecContext, f: PlannedFlow, plannedAt: number, signal: AbortSignal): Promise<void> {
  const flow = ctx.flows.get('iotUpload');
  flow.start();
  const u = f.upload!;
  const rng = ctx.stream(f);
  const readings = u.devices.reduce((n, d) => n + d.count, 0);
  ctx.iot.readingsGenerated += readings;
  const body = observationBatch({ identity: ctx.identity(f), upload: u.index, devices: u.devices, startDate: ctx.spec.startDate, rng: rng.fork('values') });
  const r = await call(ctx, ctx.clientFor(f.route.adapter.url), 'iotBatch', { method: 'POST', path: '', body }, rng, signal);
  let reason: string | null = r.ok ? null : r.reason;
  if (r.ok) {
    const bad = entries(r.body).find((e) => !/^2\d\d/.test(e.response?.status ?? ''));
    if (bad !== undefined) reason = reasonForStatus('iotBatch', Number.parseInt(bad.response?.status ?? '500', 10)) ?? ADAPTER_REASON.hqiGeneric;
  }
  if (reason === null) {
    flow.success(performance.now() - plannedAt);
    flow.outcome('delivered');
    ctx.iot.readingsDelivered += readings;
    ctx.iot.personalFieldsCrossed += readings * fieldsPerReading(ctx.spec.policies.dataMinimisation);
  } else {
    fail(ctx, flow, reason);
    flow.outcome('buffered');
  }
}
