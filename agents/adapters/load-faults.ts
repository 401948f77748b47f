/**
 * Client-side fault injection for `pitsim load` (Toxiproxy style): a
 * scenario's faults act on each planned flow at its simulated start, on its
 * path up to and including the bound node it is sent to (what lies behind
 * that node is the real gateway's business), as they act in the simulator:
 * an outage, a partition or an expired certificate there fails the flow
 * before any request, with the simulator's reason and at its step; a
 * degraded error rate fails that share of flows; a closed point of care
 * sends the patient to an open one, as agents/points-of-care.ts does. What
 * load mode does not simulate (service and link latency, translation,
 * security, devices) is listed with the reason, never applied. Deterministic:
 * windows from fault-windows.ts, draws from each flow's own stream.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { FaultSpec, ScenarioSpec } from '../../scenarios/spec.ts';
import { nodePattern } from '../faults/install.ts';
import type { StepName } from '../names.ts';
import { REASON } from '../reasons.ts';
import type { FaultTally } from '../result.ts';
import { activeAt, faultWindows, windowTally, type FaultWindow } from './fault-windows.ts';
import type { PlannedFlow } from './plan.ts';
import type { Bindings } from './routing.ts';

export type FaultVerdict =
  /** Sent: the planned flow, or the same flow moved to an open point of care (`rerouted`). */
  | { readonly kind: 'send'; readonly flow: PlannedFlow; readonly rerouted: boolean }
  /** Failed before any request, as the simulator fails it: `reason` at `step` (null: a flow without steps, the IoT upload). */
  | { readonly kind: 'fail'; readonly fault: string; readonly reason: string; readonly step: StepName | null }
  /** Not started: every point of care of its kind in B is closed (the simulator's patient finds none open). */
  | { readonly kind: 'noSite'; readonly fault: string }
  /** Moved to an open point of care whose path reaches no bound node: not part of this load run. */
  | { readonly kind: 'unbound'; readonly fault: string };

/** What an applicable fault does to a flow on its path. */
type Effect = 'down' | 'cut' | 'cert' | 'errors';

interface Armed {
  readonly spec: FaultSpec;
  readonly effect: Effect;
  readonly windows: readonly FaultWindow[];
  /** Node target, or null for a link. */
  readonly nodes: RegExp | null;
  /** Link target (`DE-FR`), or null for nodes. */
  readonly link: string | null;
}

/** Why a fault is not applied in load mode, or null when it is. */
export function notApplicable(spec: ScenarioSpec, f: FaultSpec): string | null {
  const t = f.target;
  const ncps = Object.keys(spec.countries).map((c) => `ncp.${c}`);
  const hitsNcp = t.kind === 'nodes' && ncps.some((id) => nodePattern(t.pattern).test(id));
  switch (f.kind) {
    case 'outage':
      return t.kind === 'terminology' ? 'translation is not simulated in load mode (in the simulator a terminology outage only adds a missing-translation warning)' : null;
    case 'partition':
      return null;
    case 'certificateExpiry':
      return hitsNcp ? null : 'the simulator checks certificates at NCPs only, and this targets none';
    case 'degraded':
      if (!(f.errorRate > 0)) return 'it only slows service times (factor), which load mode does not simulate: the gateway measures its own';
      return hitsNcp ? null : 'the simulator degrades NCPs only (points of care are not slowed or failed), and this targets none';
    case 'latencySpike':
      return 'load mode does not simulate link latency: the real network is measured';
    case 'terminologyOutage':
      return 'translation is not simulated in load mode (in the simulator a terminology outage only adds a missing-translation warning)';
    case 'breach':
      return 'load mode does not simulate security: what an attacker could read is not measured';
    case 'deviceCompromise':
      return 'load mode does not simulate devices: readings are uploaded as planned';
  }
}

function effectOf(f: FaultSpec): Effect {
  if (f.kind === 'partition' || (f.kind === 'outage' && f.target.kind === 'link')) return 'cut';
  if (f.kind === 'certificateExpiry') return 'cert';
  return f.kind === 'degraded' ? 'errors' : 'down';
}

export class LoadFaults {
  /** Ids of the faults applied, in declaration order. */
  readonly injected: readonly string[];
  /** Fault id -> why load mode does not apply it. */
  readonly notApplicable: Readonly<Record<string, string>>;
  private readonly armed: readonly Armed[];
  private readonly targets = new Map<string, readonly Armed[]>();

  constructor(
    private readonly spec: ScenarioSpec,
    private readonly bindings: Bindings,
    private readonly fromMs: number,
    toMs: number,
  ) {
    const skipped: Record<string, string> = {};
    const applied: FaultSpec[] = [];
    for (const f of spec.faults) {
      const why = notApplicable(spec, f);
      if (why === null) applied.push(f);
      else skipped[f.id] = why;
    }
    const windows = faultWindows(spec, applied, toMs);
    this.armed = applied.map((f) => ({
      spec: f,
      effect: effectOf(f),
      windows: windows.get(f.id)!,
      nodes: f.target.kind === 'nodes' ? nodePattern(f.target.pattern) : null,
      link: f.target.kind === 'link' ? f.target.pair : null,
    }));
    this.injected = applied.map((f) => f.id);
    this.notApplicable = skipped;
  }

  /** One warning for the run: what is not applied, and what is applied only in part; null when nothing is left out. */
  warning(): string | null {
    const parts = Object.entries(this.notApplicable).map(([id, why]) => `${id} (${why})`);
    for (const a of this.armed) {
      if (a.effect === 'errors' && a.spec.latencyFactor !== 1) parts.push(`${a.spec.id}: its errorRate only (its factor would slow service times, which load mode does not simulate)`);
    }
    return parts.length === 0 ? null : `faults not applied in load mode: ${parts.join('; ')}`;
  }

  /** Windows and active time of each applied fault within the load window, for the report's `faults`. */
  tallies(): Record<string, FaultTally> {
    const out: Record<string, FaultTally> = {};
    for (const a of this.armed) out[a.spec.id] = windowTally(a.spec, a.windows, this.fromMs);
    return out;
  }

  /**
   * What the faults do to a flow at its planned start. `stream` gives the
   * flow's own fault stream, asked for only when a draw is needed (a degraded
   * node on the path, a closed point of care).
   */
  verdict(f: PlannedFlow, stream: () => RandomStream): FaultVerdict {
    const sent: FaultVerdict = { kind: 'send', flow: f, rerouted: false };
    if (this.armed.length === 0) return sent;
    let rng: RandomStream | null = null;
    const draw = (): RandomStream => (rng ??= stream());
    const t = f.atMs;
    const p = f.patient;
    const link = [p.home, p.destination].sort().join('-');
    if (f.kind === 'iotUpload') {
      // The phone in B uploads straight to the platform in A over the link, never through an NCP: only the link's faults reach it.
      const cut = this.active(this.onLink(link), 'cut', t);
      return cut === null ? sent : { kind: 'fail', fault: cut.spec.id, reason: REASON.connection, step: null };
    }
    let flow = f;
    let rerouted = false;
    if (f.pointOfCare !== null) {
      const closed = this.active(this.onNode(f.pointOfCare), 'down', t);
      if (closed !== null) {
        const site = this.openSite(f, t, draw());
        if (site === null) return { kind: 'noSite', fault: closed.spec.id };
        const route = this.bindings.route(f.kind, p, site);
        if (route === undefined) return { kind: 'unbound', fault: closed.spec.id };
        flow = { ...f, pointOfCare: site, route };
        rerouted = true;
      }
      if (flow.route.node === flow.pointOfCare) return { kind: 'send', flow, rerouted };
    }
    // B's NCP fails the first step it serves (the HCP assertion), as localStep does: an expired certificate before anything else.
    const b = `ncp.${p.destination}`;
    const atB = this.atNcp(b, t, 'hcpAssertion', draw);
    if (atB !== null) return atB;
    if (flow.route.node === b) return { kind: 'send', flow, rerouted };
    // Then XCPD crosses the link to A's NCP, in remoteLeg's order: certificates, the link, A down, A failing.
    const a = `ncp.${p.home}`;
    const cert = this.active(this.onNode(a), 'cert', t);
    if (cert !== null) return { kind: 'fail', fault: cert.spec.id, reason: REASON.tls, step: 'xcpd' };
    const cut = this.active(this.onLink(link), 'cut', t);
    if (cut !== null) return { kind: 'fail', fault: cut.spec.id, reason: REASON.connection, step: 'xcpd' };
    return this.atNcp(a, t, 'xcpd', draw, true) ?? { kind: 'send', flow, rerouted };
  }

  /** An NCP's own faults at `t`: certificate (unless already checked), down, failing at its error rate. */
  private atNcp(id: string, t: number, step: StepName, draw: () => RandomStream, certChecked = false): FaultVerdict | null {
    const faults = this.onNode(id);
    if (faults.length === 0) return null;
    const cert = certChecked ? null : this.active(faults, 'cert', t);
    if (cert !== null) return { kind: 'fail', fault: cert.spec.id, reason: REASON.tls, step };
    const down = this.active(faults, 'down', t);
    if (down !== null) return { kind: 'fail', fault: down.spec.id, reason: REASON.connection, step };
    // As NodeHealth: the largest active error rate, one draw.
    let worst: Armed | null = null;
    for (const a of faults) if (a.effect === 'errors' && activeAt(a.windows, t) && (worst === null || a.spec.errorRate > worst.spec.errorRate)) worst = a;
    if (worst !== null && draw().next() < worst.spec.errorRate) return { kind: 'fail', fault: worst.spec.id, reason: REASON.internal, step };
    return null;
  }

  /** An open site of the flow's kind in B, drawn as pickUp draws among the open ones; null when all are closed. */
  private openSite(f: PlannedFlow, t: number, rng: RandomStream): string | null {
    const b = this.spec.countries[f.patient.destination];
    const kind = f.kind === 'patientSummary' ? 'hospital' : 'pharmacy';
    const count = b === undefined ? 0 : kind === 'hospital' ? b.hospitals.count : b.pharmacies.count;
    const open: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${kind}.${f.patient.destination}.${i}`;
      if (this.active(this.onNode(id), 'down', t) === null) open.push(id);
    }
    return open.length === 0 ? null : open[rng.int(open.length)]!;
  }

  /** The first fault (declaration order) with this effect active at `t`. */
  private active(faults: readonly Armed[], effect: Effect, t: number): Armed | null {
    for (const a of faults) if (a.effect === effect && activeAt(a.windows, t)) return a;
    return null;
  }

  private onNode(id: string): readonly Armed[] {
    return this.cached(id, (a) => a.nodes !== null && a.nodes.test(id));
  }

  private onLink(pair: string): readonly Armed[] {
    return this.cached(`link ${pair}`, (a) => a.link === pair);
  }

  /** The faults on a node or a link, matched once per run. */
  private cached(key: string, hits: (a: Armed) => boolean): readonly Armed[] {
    let list = this.targets.get(key);
    if (list === undefined) {
      list = this.armed.filter(hits);
      this.targets.set(key, list);
    }
    return list;
  }
}
