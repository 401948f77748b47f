/**
 * One patient's devices abroad as one process, waking only at connectivity
 * changes, alert readings, upload retries, the end of the stay and (if a compromise
 * fault may strike) every COMPROMISE_POLL_MS; readings in between are counted, not
 * simulated. Invariant: generated = delivered + lost + still buffered at departure.
 */
import type { ProcessGenerator, RandomStream } from '../../engine/index.ts';
import type { CohortSpec, DeviceKind, LinkSpec } from '../../scenarios/spec.ts';
import { DAY_MS } from '../behaviour.ts';
import type { ConsentState } from '../consent.ts';
import { patientSummaryFlow } from '../flows/patient-summary.ts';
import type { Patient } from '../population/index.ts';
import { REASON } from '../reasons.ts';
import type { World } from '../world.ts';
import { Connectivity } from './connectivity.ts';
import type { Device } from './devices.ts';
import { fieldsPerReading } from './fields.ts';

/** Mean time the home platform in A takes to ingest a batch (exponential), on top of the network. */
export const PLATFORM_PROCESSING_MS = 50;
/** Longest sleep while a compromise fault could be active: compromise state is read at wake-ups only. */
export const COMPROMISE_POLL_MS = 6 * 3_600_000;
/** First retry after a failed batch while online; doubles per consecutive failure up to UPLOAD_RETRY_MAX_MS. */
export const UPLOAD_RETRY_MS = 60_000;
export const UPLOAD_RETRY_MAX_MS = 6 * 3_600_000;
/** run(until) stops strictly before `until`: a stay cut by the run has its last wake-up this much earlier. */
export const END_GUARD_MS = 1;
/** Slack for float error when a wake-up falls exactly on a reading time. */
const EPS = 1e-7;

class DeviceState {
  /** Readings taken so far; the next one has this index. */
  generated = 0;
  /** Taken, neither delivered nor lost: in the buffer (or streamed since the last wake-up). */
  pending = 0;
  /** Index of the oldest reading in the last successful batch. */
  deliveredFrom = 0;
  compromised = false;
  exposed = false;
  constructor(
    readonly device: Device,
    /** Readings during the stay: at start + k * interval, k = 0 .. total - 1. */
    readonly total: number,
  ) {}
}

interface Alert {
  readonly eventAt: number;
  /** Time of the first reading at or after the event: when the device sees it. */
  readonly readingAt: number;
  readonly index: number;
  readonly device: DeviceState;
}

/**
 * The process. `compromisable` lists kinds a scenario fault can compromise
 * (polling is needed only for those); `consent` is what an alert's emergency
 * visit checks at A; `rng` is the patient's IoT stream.
 */
export function* deviceProcess(
  w: World,
  p: Patient,
  cohort: CohortSpec,
  devices: readonly Device[],
  compromisable: ReadonlySet<DeviceKind>,
  consent: ConsentState,
  rng: RandomStream,
): ProcessGenerator<void> {
  const sim = w.sim;
  const start = p.arrivalMs;
  // Clipped to the run; the span (not end - start) fixes reading counts exactly.
  const span = Math.min(p.stayMs, w.spec.durationMs - start);
  if (!(span > 0) || devices.length === 0) return;
  // The last wake-up; the readings of [end - 1 ms, end) of a cut stay are still counted there.
  const end = start + span < w.spec.durationMs ? start + span : Math.max(start, w.spec.durationMs - END_GUARD_MS);
  if (start > sim.now) yield start - sim.now;

  const states = devices.map((d) => new DeviceState(d, Math.ceil(span / d.intervalMs - EPS)));
  const alerts = planAlerts(states, cohort.iot.alertsPerDay, start, end, rng);
  const conn = new Connectivity(cohort.iot.offlineShare, cohort.iot.offlineSpellMs, start, rng);
  const poll = states.some((s) => s.device.vulnerable && compromisable.has(s.device.kind));
  const upload = new Uploader(w, p, cohort, consent, rng);
  const seen: Alert[] = [];
  let nextAlert = 0;
  let retryAt = Infinity;
  let failures = 0;
  let t = start;
  readCompromise(w, p, states);

  for (;;) {
    let next = Math.min(end, conn.nextChange);
    const a = alerts[nextAlert];
    if (a !== undefined && a.readingAt < next) next = a.readingAt;
    if (retryAt < next) next = retryAt;
    if (poll && t + COMPROMISE_POLL_MS < next) next = t + COMPROMISE_POLL_MS;
    if (next > sim.now) yield next - sim.now;
    t = next;
    const final = t >= end;
    const wasOnline = conn.online;

    // Readings since the last wake-up, taken under the state that held since then.
    for (const s of states) {
      const upTo = final ? s.total : Math.min(s.total, Math.floor((t - start) / s.device.intervalMs + EPS) + 1);
      const n = upTo - s.generated;
      if (n <= 0) continue;
      s.generated = upTo;
      s.pending += n;
      w.iot.readingsGenerated += n;
      if (s.compromised) w.iot.readingsExfiltrated += n;
      if (!wasOnline) overflow(w, s); // offline: they went into the buffer one by one
    }
    let pending = 0;
    for (const s of states) pending += s.pending;
    while (nextAlert < alerts.length && alerts[nextAlert]!.readingAt <= t) seen.push(alerts[nextAlert++]!);
    if (!final) while (conn.nextChange <= t) conn.toggle();

    // Online during the spell just ended (streamed readings) or from now (the buffer on reconnect): one batch.
    retryAt = Infinity;
    if ((wasOnline || conn.online) && pending > 0) {
      failures = upload.batch(t, states, seen) ? 0 : failures + 1;
      // The app retries with backoff while online; offline, the reconnect is the retry.
      if (failures > 0 && conn.online) retryAt = t + Math.min(UPLOAD_RETRY_MS * 2 ** (failures - 1), UPLOAD_RETRY_MAX_MS);
    }
    for (const s of states) overflow(w, s); // a failed batch stays buffered
    if (final) return; // what is still buffered goes home with the patient (not cross-border)
    readCompromise(w, p, states);
  }
}

/** Drop-oldest overflow: the buffer keeps the newest `bufferReadings`. */
function overflow(w: World, s: DeviceState): void {
  const excess = s.pending - s.device.bufferReadings;
  if (excess > 0) {
    s.pending -= excess;
    w.iot.readingsLost += excess;
  }
}

/** Reads each device's compromise state now; it holds until the next wake-up. */
function readCompromise(w: World, p: Patient, states: readonly DeviceState[]): void {
  for (const s of states) {
    s.compromised = s.device.vulnerable && s.device.takeoverU < w.devices[s.device.kind].share;
    if (s.compromised && !s.exposed) {
      s.exposed = true;
      w.security.expose(p.id);
    }
  }
}

/** Critical events as one Poisson process over all devices (rate x devices), drawn up front: rare, few. */
function planAlerts(states: readonly DeviceState[], perDay: number, start: number, end: number, rng: RandomStream): Alert[] {
  const out: Alert[] = [];
  if (!(perDay > 0)) return out;
  const mean = DAY_MS / (perDay * states.length);
  for (let e = start + rng.exponential(mean); e < end; e += rng.exponential(mean)) {
    const s = states.length === 1 ? states[0]! : states[rng.int(states.length)]!;
    const index = Math.ceil((e - start) / s.device.intervalMs);
    if (index >= s.total) continue; // no reading left before departure: not seen abroad
    out.push({ eventAt: e, readingAt: start + index * s.device.intervalMs, index, device: s });
  }
  return out.sort((x, y) => x.readingAt - y.readingAt || x.eventAt - y.eventAt);
}

/** Uploads to the home platform in A over the destination-home link: one iotUpload attempt per batch. */
class Uploader {
  private readonly fields: number;
  /** Static per patient; its fault state (health) is looked up per batch. */
  private readonly link: LinkSpec;
  private emergencies = 0;

  constructor(
    private readonly w: World,
    private readonly p: Patient,
    private readonly cohort: CohortSpec,
    private readonly consent: ConsentState,
    private readonly rng: RandomStream,
  ) {
    this.fields = fieldsPerReading(w.spec.policies.dataMinimisation);
    this.link = w.network.link(p.destination, p.home);
  }

  /** One batch of everything pending; true when it reached the platform. */
  batch(t: number, states: readonly DeviceState[], seen: Alert[]): boolean {
    const { w, p, rng, link } = this;
    const net = w.network;
    const flow = w.flows.get('iotUpload');
    const health = net.healthIfAny(p.destination, p.home);
    flow.start();
    w.observer?.message?.({ t, patient: p.id, flow: 'iotUpload', step: 'upload', from: 'device', to: 'platformA', kind: 'request' });
    // A failed batch stays buffered for the retry (or the next wake-up).
    const reason = health !== null && health.partitioned > 0 ? REASON.connection : net.lost(link, rng) ? REASON.timeout : null;
    if (reason !== null) {
      flow.failure(reason);
      w.observer?.message?.({ t, patient: p.id, flow: 'iotUpload', step: 'upload', from: 'device', to: 'platformA', kind: 'failure', reason });
      w.observer?.attempt?.({ flow: 'iotUpload', patient: p.id, startMs: t, endMs: t, reason, outcome: 'buffered' });
      return false;
    }
    const latency = net.delay(link, rng) + (health === null ? 0 : health.extraDelay(rng)) + rng.exponential(PLATFORM_PROCESSING_MS);
    flow.success(latency);
    w.observer?.message?.({ t: t + latency, patient: p.id, flow: 'iotUpload', step: 'upload', from: 'platformA', to: 'device', kind: 'response' });
    w.observer?.attempt?.({ flow: 'iotUpload', patient: p.id, startMs: t, endMs: t + latency, reason: null, outcome: 'delivered' });
    let delivered = 0;
    for (const s of states) {
      delivered += s.pending;
      s.deliveredFrom = s.generated - s.pending;
      s.pending = 0;
    }
    w.iot.readingsDelivered += delivered;
    w.iot.personalFieldsCrossed += delivered * this.fields;
    for (const a of seen) {
      // An alert whose reading was dropped from a full buffer never reaches the platform.
      if (a.index >= a.device.deliveredFrom) this.alert(a, t + latency);
    }
    seen.length = 0;
    return true;
  }

  private alert(a: Alert, deliveredAt: number): void {
    const { w, p, rng } = this;
    w.iot.alerts++;
    w.iot.alertLatency.record(deliveredAt - a.eventAt);
    if (rng.next() < this.cohort.iot.alertEmergencyShare) {
      // Rare: a stream of its own, so the emergency's draws never shift the device's.
      const n = this.emergencies++;
      w.sim.process(emergencyAt(w, p, this.consent, deliveredAt, rng.fork(`alert:${n}`)), `${p.id}/alert:${n}`);
    }
  }
}

/** The alert reaches the platform, which sends the patient to hospital in B. */
function* emergencyAt(w: World, p: Patient, consent: ConsentState, at: number, rng: RandomStream): ProcessGenerator<void> {
  if (at > w.sim.now) yield at - w.sim.now;
  yield* patientSummaryFlow(w, p, consent, rng);
}
