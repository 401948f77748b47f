/**
 * The world of one replication: the simulation, the scenario, the network and
 * every node built from the spec (ids `ncp.FR`, `pharmacy.FR.3`,
 * `hospital.FR.0`), and the recorders. Countries and nodes are created in
 * sorted order so node ids and iteration never depend on YAML order.
 */
import type { RandomStream, Simulation } from '../engine/index.ts';
import type { ConsentState } from './consent.ts';
import type { DeviceFleet } from './iot/device-process.ts';
import type { Patient } from './population/index.ts';
import type { MedicationEntry } from '../scenarios/reference/types.ts';
import { DEVICE_KINDS, type CohortSpec, type CountrySpec, type DeviceKind, type ScenarioSpec } from '../scenarios/spec.ts';
import { DeviceHealth, LinkHealth, TerminologyHealth } from './faults/health.ts';
import { IotRecorder } from './iot/recorder.ts';
import { Network } from './network.ts';
import type { FlowObserver } from './observer.ts';
import { FlowRecorders, SecurityRecorder } from './recorders.ts';
import { AbuseDetector } from './policies/abuse-detector.ts';
import { CircuitBreaker } from './policies/circuit-breaker.ts';
import { ServiceNode } from './service-node.ts';

export interface CountryNodes {
  readonly spec: CountrySpec;
  readonly ncp: ServiceNode;
  readonly pharmacies: readonly ServiceNode[];
  readonly hospitals: readonly ServiceNode[];
}

/**
 * Told of each patient's arrival in B. An object, not a callback stored in a
 * field: V8 would keep that closure's scope, the whole world, alive until a
 * full GC (see engine Resource.waitRecorder).
 */
export interface ArrivalListener {
  arrived(p: Patient, cohort: CohortSpec, rng: RandomStream, consent: ConsentState, slot: number): void;
}

export class World {
  readonly network: Network;
  readonly flows = new FlowRecorders();
  readonly security = new SecurityRecorder();
  readonly iot = new IotRecorder();
  readonly terminology = new TerminologyHealth();
  readonly devices: Readonly<Record<DeviceKind, DeviceHealth>>;
  private readonly countries = new Map<string, CountryNodes>();
  private readonly medications: ReadonlyMap<string, MedicationEntry>;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly detectors = new Map<string, AbuseDetector>();
  private readonly caches = new Map<string, Map<string, number>>();

  constructor(
    readonly sim: Simulation,
    readonly spec: ScenarioSpec,
    /** Watches messages and attempts (tests, demo); null when nobody watches. */
    readonly observer: FlowObserver | null = null,
  ) {
    this.network = new Network(spec.network);
    this.devices = Object.fromEntries(DEVICE_KINDS.map((k) => [k, new DeviceHealth()])) as Record<DeviceKind, DeviceHealth>;
    this.medications = new Map(spec.reference.catalogue.medications.map((m) => [m.atc, m]));
    for (const code of Object.keys(spec.countries).sort()) {
      const c = spec.countries[code]!;
      const pharmacies = Array.from({ length: c.pharmacies.count }, (_, i) => new ServiceNode(`pharmacy.${code}.${i}`, 'pharmacy', code, sim, c.pharmacies.staff));
      const hospitals = Array.from({ length: c.hospitals.count }, (_, i) => new ServiceNode(`hospital.${code}.${i}`, 'hospital', code, sim, c.hospitals.staff));
      this.countries.set(code, { spec: c, ncp: new ServiceNode(`ncp.${code}`, 'ncp', code, sim, c.ncp.capacity), pharmacies, hospitals });
    }
  }

  country(code: string): CountryNodes {
    const c = this.countries.get(code);
    if (c === undefined) throw new Error(`country ${code} is not part of scenario ${this.spec.name}`);
    return c;
  }

  /**
   * The replication's device fleet, made by iot's deviceFleet() on first use.
   * A field, not a module-level WeakMap keyed by the world: V8's young-
   * generation GC treats the values of an old WeakMap as live, so every
   * replication's fleet and world outlived it until a full GC.
   */
  fleet: DeviceFleet | null = null;

  /** Told when a patient arrives in B (the replication sets one that starts their devices); null: nobody listens. */
  arrivals: ArrivalListener | null = null;

  medication(atc: string): MedicationEntry | undefined {
    return this.medications.get(atc);
  }

  /** B's circuit breaker for requests to country A. */
  breaker(b: string, a: string): CircuitBreaker {
    const key = `${b}>${a}`;
    let cb = this.breakers.get(key);
    if (cb === undefined) {
      cb = new CircuitBreaker(this.spec.policies.circuitBreaker);
      this.breakers.set(key, cb);
    }
    return cb;
  }

  /** Abuse detection at country A's NCP. */
  abuseDetector(a: string): AbuseDetector {
    let d = this.detectors.get(a);
    if (d === undefined) {
      d = new AbuseDetector(this.spec.policies.abuseDetection);
      this.detectors.set(a, d);
    }
    return d;
  }

  /** Abuse alerts over all countries, in country order. */
  abuseAlerts(): number {
    let n = 0;
    for (const k of [...this.detectors.keys()].sort()) n += this.detectors.get(k)!.alerts;
    return n;
  }

  /** Patient Summaries cached at B: patient id -> expiry time. */
  summaryCache(b: string): Map<string, number> {
    let c = this.caches.get(b);
    if (c === undefined) {
      c = new Map();
      this.caches.set(b, c);
    }
    return c;
  }

  /** Health of the link between two countries (created on first use). */
  link(a: string, b: string): LinkHealth {
    return this.network.health(a, b);
  }

  /** Every node, sorted by id. */
  nodes(): ServiceNode[] {
    const all: ServiceNode[] = [];
    for (const c of this.countries.values()) all.push(c.ncp, ...c.pharmacies, ...c.hospitals);
    return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
