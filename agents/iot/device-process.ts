/**
 * One patient's devices abroad, waking only at connectivity changes, alert
 * readings, upload retries, the end of the stay and (if a compromise fault may
 * strike) every COMPROMISE_POLL_MS; readings in between are counted, not
 * simulated. Invariant: generated = delivered + lost + still buffered at departure.
 *
 * All device owners of a replication are driven by one process, the fleet:
 * an agenda of wake-ups (SlotAgenda, agents/agenda.ts) and, per owner, a few numbers in typed
 * arrays by owner slot (reused after departure), so a replication's memory
 * follows the owners abroad, not the population. Between wake-ups an owner is
 * its random stream (StreamTable, 24 bytes), arrival, span and next
 * connectivity change (24), a context index (cohort, route, stream path), a
 * key (journey slot or patient index), first device and first alert (16),
 * flags and failure count (2), a device block (17 bytes a device) and its
 * agenda entry (16): about 100 bytes, no object. The patient is not kept: an
 * alert that becomes an emergency gets it back from the journeys by slot
 * (setOwnerLookup), or, when nobody registered a lookup (tests, single
 * journeys), from the Patient kept for owners who have an alert planned. Each owner's draws come from
 * its own stream `<journey stream>/iot` in the same order as a process per
 * owner would make them, so results do not depend on the fleet's layout.
 */
import { Interrupt, RandomStream, type Process, type ProcessGenerator } from '../../engine/index.ts';
import { grownByQuarter, resized } from '../../engine/typed-arrays.ts';
import { DEVICE_KINDS, type CohortSpec, type DeviceKind, type LinkSpec, type ScenarioSpec } from '../../scenarios/spec.ts';
import { DAY_MS } from '../behaviour.ts';
import { ConsentState } from '../consent.ts';
import { patientSummaryFlow } from '../flows/patient-summary.ts';
import type { Patient } from '../population/index.ts';
import { REASON } from '../reasons.ts';
import type { FlowRecorder } from '../recorders.ts';
import type { World } from '../world.ts';
import { ConnectivityLaw } from './connectivity.ts';
import { carriedDevices, equipDevices } from './devices.ts';
import { fieldsPerReading } from './fields.ts';
import { SlotStream, StreamTable } from './streams.ts';
import { SlotAgenda } from '../agenda.ts';

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
/** Consecutive failures are counted up to here: the backoff reached its ceiling long before. */
const MAX_FAILURES = 255;

/**
 * Regenerates an owner for an emergency: the patient and their live consent,
 * by the journey slot passed to startDevices. An object (the journeys), not a
 * callback: see engine Resource.waitRecorder for why no per-run closure is
 * stored in a field.
 */
export interface OwnerLookup {
  owner(slot: number): { readonly p: Patient; readonly consent: ConsentState };
}

// Owner flags.
const ONLINE = 1;
const POLL = 2;
/** Arrived: alerts planned, connectivity drawn (an owner registered before arrival waits for it). */
const STARTED = 4;
/** Has an entry in `extras`. */
const EXTRA = 8;
/** `key` is the journey slot (the lookup gives the patient back), else the patient index. */
const BY_SLOT = 128;
/** Bits 4..6: the kinds carried, bit k for DEVICE_KINDS[k]. */
const KINDS_SHIFT = 4;
// Device flags.
const VULNERABLE = 1;
const COMPROMISED = 2;
const EXPOSED = 4;
// Alert flags: the device's position in the owner's block in bits 0..1, and
/** Seen by the device (its reading was taken), not yet delivered. */
const SEEN = 128;

const NONE = 0xffffffff;
const TWO_32 = 4294967296;
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** What is the same for all owners of a cohort. */
interface CohortPlan {
  readonly cohort: CohortSpec;
  readonly law: ConnectivityLaw;
  /** By kind index (DEVICE_KINDS order). */
  readonly intervalMs: Float64Array;
  readonly bufferReadings: Float64Array;
  readonly compromisable: readonly boolean[];
}

/** What owners share: cohort, route (destination -> home) and the prefix of their journey stream path. */
interface Context {
  readonly plan: CohortPlan;
  readonly destination: string;
  readonly home: string;
  /** Static per route; its fault state (health) is looked up per batch. */
  readonly link: LinkSpec;
  /** The journey stream's path is prefix + patient id; the devices' stream is that + '/iot'. */
  readonly prefix: string;
}

/** The rare extras of an owner: only for emergencies, or callers whose ids and paths do not follow the rules. */
class Extra {
  id: string | null = null;
  path: string | null = null;
  /** Kept for an emergency when no lookup can regenerate the patient. */
  p: Patient | null = null;
  consent: ConsentState | null = null;
  emergencies = 0;

  get empty(): boolean {
    return this.id === null && this.path === null && this.p === null && this.emergencies === 0;
  }
}

export class DeviceFleet {
  /** Regenerates an owner for an emergency (set by the journeys); null: keep what emergencies need. */
  lookup: OwnerLookup | null = null;

  private readonly streams: StreamTable;
  private readonly view: SlotStream;
  private readonly agenda = new SlotAgenda();
  /** Cohort plans, by first use; `plans` finds a cohort's. */
  private readonly planList: CohortPlan[] = [];
  private readonly plans = new Map<CohortSpec, number>();
  private readonly contexts: Context[] = [];
  private lastContext = -1;
  private readonly contextIndex = new Map<string, number>();
  private readonly extras = new Map<number, Extra>();
  private readonly flow: FlowRecorder;
  private readonly fields: number;

  // Owners, by slot.
  private cap = 0;
  private top = 0;
  private freeOwner = NONE;
  private live = 0;
  private start = new Float64Array(0);
  private span = new Float64Array(0);
  private nextChange = new Float64Array(0);
  private context = new Uint32Array(0);
  /** Journey slot (flag BY_SLOT) or patient index; the next free slot while the slot is free. */
  private key = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private failures = new Uint8Array(0);
  private firstDevice = new Uint32Array(0);
  /** First alert not yet delivered or dropped (those seen come first, flagged SEEN); -1 when none is left. */
  private alertHead = new Int32Array(0);

  // Devices: a block of 1 to 3 consecutive slots per owner, free blocks listed by size.
  private devCap = 0;
  private devTop = 0;
  private readonly devFree = [NONE, NONE, NONE, NONE];
  private generated = new Uint32Array(0);
  private pending = new Uint32Array(0);
  /** Index of the oldest reading in the last successful batch. */
  private deliveredFrom = new Uint32Array(0);
  /** takeoverU * 2^32: a stream draw, so an integer. */
  private takeover = new Uint32Array(0);
  private devFlags = new Uint8Array(0);

  // Alerts: a list per owner, sorted by reading time, in a shared pool.
  private alertCap = 0;
  private alertTop = 0;
  private freeAlert = -1;
  private alertEvent = new Float64Array(0);
  private alertReading = new Float64Array(0);
  private alertIndex = new Uint32Array(0);
  /** Device of the alert (its position in the owner's block) and SEEN. */
  private alertFlags = new Uint8Array(0);
  private alertLink = new Int32Array(0);
  /** Scratch for planning one owner's alerts. */
  private readonly planned: { event: number; reading: number; index: number; device: number }[] = [];

  private driver: Process<void> | null = null;
  /** When the sleeping driver wakes; -Infinity while it runs or has yet to start (it reads the agenda then). */
  private sleepUntil = -Infinity;
  private interrupting = false;

  constructor(private readonly w: World) {
    this.streams = new StreamTable(0);
    this.view = new SlotStream(this.streams, (slot) => this.iotPath(slot));
    this.flow = w.flows.get('iotUpload');
    this.fields = fieldsPerReading(w.spec.policies.dataMinimisation);
    this.growOwners(1024);
    this.growDevices(1024);
    this.growAlerts(256);
  }

  /** Owners abroad (registered, not yet departed). */
  get owners(): number {
    return this.live;
  }

  /** Patients kept for a possible emergency (only while no lookup can regenerate them). */
  get patientsKept(): number {
    let n = 0;
    for (const e of this.extras.values()) if (e.p !== null) n++;
    return n;
  }

  /** Bytes the fleet's tables hold, whatever is in use (extras and plans aside). */
  get bytes(): number {
    const owner = 8 * 3 + 4 * 4 + 1 * 2;
    return this.cap * owner + this.streams.bytes + this.devCap * 17 + this.alertCap * 25 + this.agenda.bytes;
  }

  /**
   * Chooses the patient's devices (three draws from `rng`, always) and, if they
   * carry any and stay abroad within the run, registers them on the stream
   * `rng/iot`. Returns the number of devices (added to w.iot.devices).
   */
  register(p: Patient, cohort: CohortSpec, rng: RandomStream, consent: ConsentState | undefined, slot: number | undefined): number {
    const w = this.w;
    const kinds = carriedDevices(p, cohort, rng);
    const duration = w.spec.durationMs;
    if (kinds.length === 0 || p.home === p.destination || p.arrivalMs >= duration || !(p.stayMs > 0)) return 0;
    const start = p.arrivalMs;
    // Clipped to the run; the span (not end - start) fixes reading counts exactly.
    const span = Math.min(p.stayMs, duration - start);
    for (const kind of kinds) {
      if (Math.ceil(span / cohort.iot.devices[kind].intervalMs - EPS) > NONE) throw new RangeError(`${p.id}: more than 2^32 ${kind} readings in one stay`);
    }

    // Who the owner is: a journey slot the lookup turns back into the patient, else the patient index.
    const bySlot = this.lookup !== null && slot !== undefined;
    let extra: Extra | null = null;
    if (!bySlot && p.id !== `${cohort.name}.${p.index}`) (extra ??= new Extra()).id = p.id;
    if (!bySlot && cohort.iot.alertEmergencyShare > 0 && cohort.iot.alertsPerDay > 0) {
      // For an emergency, until the stay's alerts are planned: dropped at arrival if none is.
      extra ??= new Extra();
      extra.p = p;
      extra.consent = consent ?? null;
    }
    const path = rng.path;
    let prefix = '';
    if (path.length > p.id.length && path.endsWith(p.id)) prefix = path.slice(0, path.length - p.id.length);
    else (extra ??= new Extra()).path = path;
    const ctx = this.contextFor(cohort, p.destination, p.home, prefix);
    const plan = this.contexts[ctx]!.plan;

    const o = this.allocOwner();
    this.streams.seed(o, `${path}/iot`);
    const devices = equipDevices(kinds, cohort, this.view.at(o));
    w.iot.devices += devices.length;
    const first = this.allocDevices(devices.length);
    let kindBits = 0;
    let poll = false;
    for (let j = 0, k = 0; j < devices.length; j++) {
      const d = devices[j]!;
      while (DEVICE_KINDS[k] !== d.kind) k++;
      kindBits |= 1 << k;
      const s = first + j;
      this.generated[s] = 0;
      this.pending[s] = 0;
      this.deliveredFrom[s] = 0;
      this.takeover[s] = d.takeoverU * TWO_32;
      this.devFlags[s] = d.vulnerable ? VULNERABLE : 0;
      if (d.vulnerable && plan.compromisable[k]) poll = true;
    }
    this.start[o] = start;
    this.span[o] = span;
    this.context[o] = ctx;
    this.key[o] = bySlot ? slot : p.index;
    this.firstDevice[o] = first;
    this.failures[o] = 0;
    this.alertHead[o] = -1;
    this.flags[o] = (kindBits << KINDS_SHIFT) | (poll ? POLL : 0) | (bySlot ? BY_SLOT : 0) | (extra !== null ? EXTRA : 0);
    if (extra !== null) this.extras.set(o, extra);

    this.schedule(start > w.sim.now ? start : this.arrive(o), o);
    return devices.length;
  }

  /** Arrival: plans the stay's alerts, draws the connection, reads compromise; returns the first wake-up. */
  private arrive(o: number): number {
    const plan = this.contexts[this.context[o]!]!.plan;
    const rng = this.view.at(o);
    const start = this.start[o]!;
    this.planAlerts(o, plan, start, this.endOf(o), rng);
    const law = plan.law;
    let online: boolean;
    if (law.fixed !== null) {
      online = law.fixed;
      this.nextChange[o] = Infinity;
    } else {
      online = law.firstOnline(rng);
      this.nextChange[o] = start + law.spell(online, rng);
    }
    this.flags[o] = (this.flags[o]! & ~ONLINE) | (online ? ONLINE : 0) | STARTED;
    if ((this.flags[o]! & EXTRA) !== 0 && this.alertHead[o] === -1) {
      // No alert, no emergency: what was kept for one can go.
      const e = this.extras.get(o)!;
      e.p = null;
      e.consent = null;
      this.dropExtraIfEmpty(o, e);
    }
    this.readCompromise(o);
    return this.nextWake(o, start, Infinity);
  }

  /** The stay's last wake-up; the readings of [end - 1 ms, end) of a cut stay are still counted there. */
  private endOf(o: number): number {
    const start = this.start[o]!;
    const end = start + this.span[o]!;
    const duration = this.w.spec.durationMs;
    return end < duration ? end : Math.max(start, duration - END_GUARD_MS);
  }

  private nextWake(o: number, t: number, retryAt: number): number {
    let next = Math.min(this.endOf(o), this.nextChange[o]!);
    const a = this.unseenAlert(o);
    if (a >= 0 && this.alertReading[a]! < next) next = this.alertReading[a]!;
    if (retryAt < next) next = retryAt;
    if ((this.flags[o]! & POLL) !== 0 && t + COMPROMISE_POLL_MS < next) next = t + COMPROMISE_POLL_MS;
    return next;
  }

  /** A wake-up at `at`, and the ones that follow at once (a wake-up due now is not slept for). */
  private wake(o: number, at: number): void {
    const now = this.w.sim.now;
    let next = (this.flags[o]! & STARTED) === 0 ? this.arrive(o) : at;
    while (next <= now) {
      const t = next;
      const retryAt = this.step(o, t);
      if (retryAt !== retryAt) return; // departed
      next = this.nextWake(o, t, retryAt);
    }
    this.agenda.push(next, o);
  }

  /** One wake-up at `t`: readings since the last, connectivity, a batch, compromise. Returns the retry time, NaN at departure. */
  private step(o: number, t: number): number {
    const w = this.w;
    const iot = w.iot;
    const plan = this.contexts[this.context[o]!]!.plan;
    const end = this.endOf(o);
    const final = t >= end;
    const flags = this.flags[o]!;
    const wasOnline = (flags & ONLINE) !== 0;
    const start = this.start[o]!;
    const span = this.span[o]!;
    const first = this.firstDevice[o]!;

    // Readings since the last wake-up, taken under the state that held since then.
    let pending = 0;
    for (let k = 0, s = first; k < DEVICE_KINDS.length; k++) {
      if ((flags & (1 << (k + KINDS_SHIFT))) === 0) continue;
      const interval = plan.intervalMs[k]!;
      const total = Math.ceil(span / interval - EPS);
      const upTo = final ? total : Math.min(total, Math.floor((t - start) / interval + EPS) + 1);
      const n = upTo - this.generated[s]!;
      if (n > 0) {
        this.generated[s] = upTo;
        this.pending[s] = this.pending[s]! + n;
        iot.readingsGenerated += n;
        if ((this.devFlags[s]! & COMPROMISED) !== 0) iot.readingsExfiltrated += n;
        if (!wasOnline) this.overflow(s, plan.bufferReadings[k]!); // offline: they went into the buffer one by one
      }
      pending += this.pending[s]!;
      s++;
    }
    for (let a = this.unseenAlert(o); a >= 0 && this.alertReading[a]! <= t; a = this.alertLink[a]!) this.alertFlags[a]! |= SEEN;
    if (!final && this.nextChange[o]! <= t) {
      const rng = this.view.at(o);
      let online = wasOnline;
      let change = this.nextChange[o]!;
      while (change <= t) {
        online = !online;
        change += plan.law.spell(online, rng);
      }
      this.nextChange[o] = change;
      this.flags[o] = online ? flags | ONLINE : flags & ~ONLINE;
    }
    const online = (this.flags[o]! & ONLINE) !== 0;

    // Online during the spell just ended (streamed readings) or from now (the buffer on reconnect): one batch.
    let retryAt = Infinity;
    if ((wasOnline || online) && pending > 0) {
      const failures = this.batch(o, t) ? 0 : Math.min(this.failures[o]! + 1, MAX_FAILURES);
      this.failures[o] = failures;
      // The app retries with backoff while online; offline, the reconnect is the retry.
      if (failures > 0 && online) retryAt = t + Math.min(UPLOAD_RETRY_MS * 2 ** (failures - 1), UPLOAD_RETRY_MAX_MS);
    }
    // A failed batch stays buffered.
    for (let k = 0, s = first; k < DEVICE_KINDS.length; k++) {
      if ((flags & (1 << (k + KINDS_SHIFT))) === 0) continue;
      this.overflow(s++, plan.bufferReadings[k]!);
    }
    if (final) {
      // What is still buffered goes home with the patient (not cross-border).
      this.release(o);
      return NaN;
    }
    this.readCompromise(o);
    return retryAt;
  }

  /** Drop-oldest overflow: the buffer keeps the newest `buffer` readings. */
  private overflow(s: number, buffer: number): void {
    const excess = this.pending[s]! - buffer;
    if (excess > 0) {
      this.pending[s] = this.pending[s]! - excess;
      this.w.iot.readingsLost += excess;
    }
  }

  /** Reads each device's compromise state now; it holds until the next wake-up. */
  private readCompromise(o: number): void {
    const flags = this.flags[o]!;
    for (let k = 0, s = this.firstDevice[o]!; k < DEVICE_KINDS.length; k++) {
      if ((flags & (1 << (k + KINDS_SHIFT))) === 0) continue;
      const f = this.devFlags[s]!;
      if ((f & VULNERABLE) !== 0) {
        const compromised = this.takeover[s]! * TWO_TO_MINUS_32 < this.w.devices[DEVICE_KINDS[k]!].share;
        if (compromised && (f & EXPOSED) === 0) {
          this.devFlags[s] = f | COMPROMISED | EXPOSED;
          this.w.security.expose(this.idOf(o));
        } else this.devFlags[s] = compromised ? f | COMPROMISED : f & ~COMPROMISED;
      }
      s++;
    }
  }

  /** Critical events as one Poisson process over all devices (rate x devices), drawn at arrival: rare, few. */
  private planAlerts(o: number, plan: CohortPlan, start: number, end: number, rng: RandomStream): void {
    const perDay = plan.cohort.iot.alertsPerDay;
    if (!(perDay > 0)) return;
    const flags = this.flags[o]!;
    const n = deviceCount(flags);
    const span = this.span[o]!;
    const out = this.planned;
    out.length = 0;
    const mean = DAY_MS / (perDay * n);
    for (let e = start + rng.exponential(mean); e < end; e += rng.exponential(mean)) {
      const device = n === 1 ? 0 : rng.int(n);
      const interval = plan.intervalMs[kindAt(flags, device)]!;
      const index = Math.ceil((e - start) / interval);
      if (index >= Math.ceil(span / interval - EPS)) continue; // no reading left before departure: not seen abroad
      out.push({ event: e, reading: start + index * interval, index, device });
    }
    if (out.length === 0) return;
    out.sort((x, y) => x.reading - y.reading || x.event - y.event);
    let prev = -1;
    for (const a of out) {
      const i = this.allocAlert();
      this.alertEvent[i] = a.event;
      this.alertReading[i] = a.reading;
      this.alertIndex[i] = a.index;
      this.alertFlags[i] = a.device;
      this.alertLink[i] = -1;
      if (prev < 0) this.alertHead[o] = i;
      else this.alertLink[prev] = i;
      prev = i;
    }
    out.length = 0;
  }

  /** Uploads to the home platform in A over the destination-home link: one iotUpload attempt per batch; true when it arrived. */
  private batch(o: number, t: number): boolean {
    const w = this.w;
    const ctx = this.contexts[this.context[o]!]!;
    const net = w.network;
    const flow = this.flow;
    const rng = this.view.at(o);
    const health = net.healthIfAny(ctx.destination, ctx.home);
    const obs = w.observer;
    const id = obs === null ? '' : this.idOf(o);
    flow.start();
    obs?.message?.({ t, patient: id, flow: 'iotUpload', step: 'upload', from: 'device', to: 'platformA', kind: 'request' });
    // A failed batch stays buffered for the retry (or the next wake-up).
    const reason = health !== null && health.partitioned > 0 ? REASON.connection : net.lost(ctx.link, rng) ? REASON.timeout : null;
    if (reason !== null) {
      flow.failure(reason);
      obs?.message?.({ t, patient: id, flow: 'iotUpload', step: 'upload', from: 'device', to: 'platformA', kind: 'failure', reason });
      obs?.attempt?.({ flow: 'iotUpload', patient: id, startMs: t, endMs: t, reason, outcome: 'buffered' });
      return false;
    }
    const latency = net.delay(ctx.link, rng) + (health === null ? 0 : health.extraDelay(rng)) + rng.exponential(PLATFORM_PROCESSING_MS);
    flow.success(latency);
    obs?.message?.({ t: t + latency, patient: id, flow: 'iotUpload', step: 'upload', from: 'platformA', to: 'device', kind: 'response' });
    obs?.attempt?.({ flow: 'iotUpload', patient: id, startMs: t, endMs: t + latency, reason: null, outcome: 'delivered' });
    let delivered = 0;
    const flags = this.flags[o]!;
    for (let k = 0, s = this.firstDevice[o]!; k < DEVICE_KINDS.length; k++) {
      if ((flags & (1 << (k + KINDS_SHIFT))) === 0) continue;
      const pending = this.pending[s]!;
      delivered += pending;
      this.deliveredFrom[s] = this.generated[s]! - pending;
      this.pending[s] = 0;
      s++;
    }
    w.iot.readingsDelivered += delivered;
    w.iot.personalFieldsCrossed += delivered * this.fields;
    const first = this.firstDevice[o]!;
    let a = this.alertHead[o]!;
    while (a >= 0 && (this.alertFlags[a]! & SEEN) !== 0) {
      // An alert whose reading was dropped from a full buffer never reaches the platform.
      if (this.alertIndex[a]! >= this.deliveredFrom[first + (this.alertFlags[a]! & ~SEEN)]!) this.alert(o, a, t + latency, ctx.plan.cohort);
      const next = this.alertLink[a]!;
      this.freeAlertAt(a);
      a = next;
    }
    this.alertHead[o] = a;
    return true;
  }

  private alert(o: number, a: number, deliveredAt: number, cohort: CohortSpec): void {
    const w = this.w;
    w.iot.alerts++;
    w.iot.alertLatency.record(deliveredAt - this.alertEvent[a]!);
    if (this.view.at(o).next() < cohort.iot.alertEmergencyShare) {
      // Rare: a stream of its own (the devices' stream forked `alert:n`), so the emergency's draws never shift the device's.
      const e = this.extraOf(o);
      const n = e.emergencies++;
      const { p, consent } = this.owner(o, e);
      const rng = RandomStream.root(`${this.iotPath(o, p.id)}/alert:${n}`);
      w.sim.process(emergencyAt(w, p, consent, deliveredAt, rng), `${p.id}/alert:${n}`);
    }
  }

  /** The owner as an emergency needs them: regenerated by the lookup, or what was kept. */
  private owner(o: number, e: Extra): { readonly p: Patient; readonly consent: ConsentState } {
    if ((this.flags[o]! & BY_SLOT) !== 0) return this.lookup!.owner(this.key[o]!);
    if (e.p === null) throw new Error(`device owner ${this.idOf(o)}: an emergency, but no patient kept and no lookup`);
    return { p: e.p, consent: e.consent ?? ConsentState.of(e.p) };
  }

  /** The owner's patient id (regenerated when the owner is kept by slot: for observers and exposures only). */
  private idOf(o: number): string {
    const flags = this.flags[o]!;
    if ((flags & EXTRA) !== 0) {
      const id = this.extras.get(o)!.id;
      if (id !== null) return id;
    }
    if ((flags & BY_SLOT) !== 0) return this.lookup!.owner(this.key[o]!).p.id;
    return `${this.contexts[this.context[o]!]!.plan.cohort.name}.${this.key[o]!}`;
  }

  /** The owner's first alert not yet seen, -1 when none. */
  private unseenAlert(o: number): number {
    let a = this.alertHead[o]!;
    while (a >= 0 && (this.alertFlags[a]! & SEEN) !== 0) a = this.alertLink[a]!;
    return a;
  }

  /** Path of the owner's device stream, `<journey stream>/iot` (give the id when it is at hand). */
  private iotPath(o: number, id?: string): string {
    if ((this.flags[o]! & EXTRA) !== 0) {
      const path = this.extras.get(o)!.path;
      if (path !== null) return `${path}/iot`;
    }
    return `${this.contexts[this.context[o]!]!.prefix}${id ?? this.idOf(o)}/iot`;
  }

  private extraOf(o: number): Extra {
    if ((this.flags[o]! & EXTRA) !== 0) return this.extras.get(o)!;
    const e = new Extra();
    this.extras.set(o, e);
    this.flags[o]! |= EXTRA;
    return e;
  }

  private dropExtraIfEmpty(o: number, e: Extra): void {
    if (!e.empty) return;
    this.extras.delete(o);
    this.flags[o]! &= ~EXTRA;
  }

  // ---------------------------------------------------------------------------
  // The driver: one process for all owners.

  private schedule(t: number, o: number): void {
    this.agenda.push(t, o);
    if (this.driver === null) this.driver = this.w.sim.process(this.drive(), 'devices');
    else if (t < this.sleepUntil && !this.interrupting) {
      // Asleep past this owner's first wake-up: wake it to sleep again, shorter.
      this.interrupting = true;
      this.driver.interrupt();
    }
  }

  private *drive(): ProcessGenerator<void> {
    const sim = this.w.sim;
    const agenda = this.agenda;
    for (;;) {
      const t = agenda.peekTime();
      if (t === Infinity) break;
      if (t > sim.now) {
        this.sleepUntil = t;
        try {
          yield t - sim.now;
        } catch (err) {
          if (!(err instanceof Interrupt)) throw err;
        }
        this.sleepUntil = -Infinity;
        this.interrupting = false;
        continue;
      }
      agenda.pop();
      this.wake(agenda.poppedSlot, t);
    }
    // Nobody abroad with devices: the next registration starts a new driver.
    this.driver = null;
  }

  // ---------------------------------------------------------------------------
  // Tables.

  private contextFor(cohort: CohortSpec, destination: string, home: string, prefix: string): number {
    let pi = this.plans.get(cohort);
    if (pi === undefined) {
      pi = this.planList.length;
      this.planList.push(planCohort(this.w, cohort));
      this.plans.set(cohort, pi);
    }
    const last = this.contexts[this.lastContext];
    if (last !== undefined && last.plan === this.planList[pi] && last.destination === destination && last.home === home && last.prefix === prefix) return this.lastContext;
    const key = `${pi}\u0000${destination}\u0000${home}\u0000${prefix}`;
    let c = this.contextIndex.get(key);
    if (c === undefined) {
      c = this.contexts.length;
      this.contexts.push({ plan: this.planList[pi]!, destination, home, link: this.w.network.link(destination, home), prefix });
      this.contextIndex.set(key, c);
    }
    this.lastContext = c;
    return c;
  }

  private allocOwner(): number {
    this.live++;
    if (this.freeOwner !== NONE) {
      const o = this.freeOwner;
      this.freeOwner = this.key[o]!;
      return o;
    }
    if (this.top === this.cap) this.growOwners(grownByQuarter(this.cap));
    return this.top++;
  }

  private release(o: number): void {
    const flags = this.flags[o]!;
    const n = deviceCount(flags);
    const first = this.firstDevice[o]!;
    this.generated[first] = this.devFree[n]!;
    this.devFree[n] = first;
    for (let a = this.alertHead[o]!; a >= 0; ) {
      const next = this.alertLink[a]!;
      this.freeAlertAt(a);
      a = next;
    }
    if ((flags & EXTRA) !== 0) this.extras.delete(o);
    this.flags[o] = 0;
    this.key[o] = this.freeOwner;
    this.freeOwner = o;
    this.live--;
  }

  private allocDevices(n: number): number {
    const f = this.devFree[n]!;
    if (f !== NONE) {
      this.devFree[n] = this.generated[f]!;
      return f;
    }
    if (this.devTop + n > this.devCap) this.growDevices(grownByQuarter(this.devCap));
    const s = this.devTop;
    this.devTop += n;
    return s;
  }

  private allocAlert(): number {
    if (this.freeAlert >= 0) {
      const a = this.freeAlert;
      this.freeAlert = this.alertLink[a]!;
      return a;
    }
    if (this.alertTop === this.alertCap) this.growAlerts(grownByQuarter(this.alertCap));
    return this.alertTop++;
  }

  private freeAlertAt(a: number): void {
    this.alertLink[a] = this.freeAlert;
    this.freeAlert = a;
  }

  private growOwners(cap: number): void {
    this.start = resized(this.start, cap);
    this.span = resized(this.span, cap);
    this.nextChange = resized(this.nextChange, cap);
    this.context = resized(this.context, cap);
    this.key = resized(this.key, cap);
    this.flags = resized(this.flags, cap);
    this.failures = resized(this.failures, cap);
    this.firstDevice = resized(this.firstDevice, cap);
    this.alertHead = resized(this.alertHead, cap);
    this.streams.grow(cap);
    this.cap = cap;
  }

  private growDevices(cap: number): void {
    this.generated = resized(this.generated, cap);
    this.pending = resized(this.pending, cap);
    this.deliveredFrom = resized(this.deliveredFrom, cap);
    this.takeover = resized(this.takeover, cap);
    this.devFlags = resized(this.devFlags, cap);
    this.devCap = cap;
  }

  private growAlerts(cap: number): void {
    this.alertEvent = resized(this.alertEvent, cap);
    this.alertReading = resized(this.alertReading, cap);
    this.alertIndex = resized(this.alertIndex, cap);
    this.alertFlags = resized(this.alertFlags, cap);
    this.alertLink = resized(this.alertLink, cap);
    this.alertCap = cap;
  }
}

/** Devices an owner carries, from its flags. */
function deviceCount(flags: number): number {
  let n = 0;
  for (let k = 0; k < DEVICE_KINDS.length; k++) if ((flags & (1 << (k + KINDS_SHIFT))) !== 0) n++;
  return n;
}

/** Kind index (DEVICE_KINDS) of the owner's j-th device. */
function kindAt(flags: number, j: number): number {
  for (let k = 0; k < DEVICE_KINDS.length; k++) if ((flags & (1 << (k + KINDS_SHIFT))) !== 0 && j-- === 0) return k;
  throw new RangeError(`no device ${j}`);
}

function planCohort(w: World, cohort: CohortSpec): CohortPlan {
  const kinds = compromisableKinds(w.spec);
  return {
    cohort,
    law: new ConnectivityLaw(cohort.iot.offlineShare, cohort.iot.offlineSpellMs),
    intervalMs: Float64Array.from(DEVICE_KINDS, (k) => cohort.iot.devices[k].intervalMs),
    bufferReadings: Float64Array.from(DEVICE_KINDS, (k) => cohort.iot.devices[k].bufferReadings),
    compromisable: DEVICE_KINDS.map((k) => kinds.has(k)),
  };
}

const compromisableBySpec = new WeakMap<ScenarioSpec, ReadonlySet<DeviceKind>>();

/** Device kinds some deviceCompromise fault of the scenario targets (computed once per spec): only those need polling. */
export function compromisableKinds(spec: ScenarioSpec): ReadonlySet<DeviceKind> {
  let kinds = compromisableBySpec.get(spec);
  if (kinds === undefined) {
    const set = new Set<DeviceKind>();
    for (const f of spec.faults) if (f.kind === 'deviceCompromise' && f.target.kind === 'devices') set.add(f.target.device);
    kinds = set;
    compromisableBySpec.set(spec, kinds);
  }
  return kinds;
}

/** The alert reaches the platform, which sends the patient to hospital in B. */
function* emergencyAt(w: World, p: Patient, consent: ConsentState, at: number, rng: RandomStream): ProcessGenerator<void> {
  if (at > w.sim.now) yield at - w.sim.now;
  yield* patientSummaryFlow(w, p, consent, rng);
}
