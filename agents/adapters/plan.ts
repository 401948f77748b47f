/**
 * The load plan: which flows start when (simulated time), for whom, and
 * where they are sent. A pure function of the scenario and its seed: the
 * population of replication 0, and each patient's needs drawn from the same
 * journey stream, in the same order, as agents/journey.ts plans them at
 * arrival (the refill, every emergency of the stay, the consent revocation,
 * then the devices carried), so the load run meets the simulator's needs.
 * What the simulator decides later comes from other streams: the point of
 * care from the journey stream's `load` fork (one per need), readings and
 * retry jitter from the plan's stream (`rep:0/load`, one fork per flow).
 *
 * A flow is planned when it falls in the window [fromMs, toMs), the patient
 * is abroad, both countries offer the service (else it is counted in
 * `notOffered`: the simulator would fail it before any request), and its
 * path reaches a bound node (else `unbound`). IoT devices upload every
 * IOT_UPLOAD_INTERVAL_MS while abroad, at most MAX_READINGS_PER_DEVICE
 * readings per device per batch (the latest ones).
 */
import { planStay, type StayPlan } from '../stay-plan.ts';
import type { RandomStream } from '../../engine/index.ts';
import type { CohortSpec, DeviceKind, ScenarioSpec } from '../../scenarios/spec.ts';
import { DAY_MS } from '../behaviour.ts';
import { carriedDevices } from '../iot/index.ts';
import { generatePopulation, type Patient, type Prescription } from '../population/index.ts';
import { replicationStream } from '../replication.ts';
import type { Bindings, LoadFlowKind, Route } from './routing.ts';

/** How often a device-carrying patient's phone uploads while abroad. */
export const IOT_UPLOAD_INTERVAL_MS = 3_600_000;
/** Readings per device in one batch at most (the latest). */
export const MAX_READINGS_PER_DEVICE = 12;

/** One device's share of a batch: `count` readings, `intervalMs` apart, the first at `firstMs` (simulated). */
export interface DeviceReadings {
  readonly kind: DeviceKind;
  readonly count: number;
  readonly firstMs: number;
  readonly intervalMs: number;
}

export interface IotUpload {
  /** Index of the upload in the patient's series. */
  readonly index: number;
  /** Devices with readings in this batch, in DEVICE_KINDS order. */
  readonly devices: readonly DeviceReadings[];
}

export interface PlannedFlow {
  /** Planned start, simulated ms since the scenario epoch. */
  readonly atMs: number;
  /** Order among flows planned at the same ms (plan order). */
  readonly seq: number;
  readonly kind: LoadFlowKind;
  readonly patient: Patient;
  readonly route: Route;
  /** The hospital or pharmacy in B (null for IoT). */
  readonly pointOfCare: string | null;
  /** ePrescription: the line being dispensed. */
  readonly prescription: Prescription | null;
  /** iotUpload: what the batch carries. */
  readonly upload: IotUpload | null;
  /** Name of the flow's own random stream (fork of the plan stream). */
  readonly stream: string;
}

export interface LoadPlan {
  /** Sorted by (atMs, seq). */
  readonly flows: readonly PlannedFlow[];
  /** The whole population of replication 0. */
  readonly population: readonly Patient[];
  readonly fromMs: number;
  readonly toMs: number;
  /** Flows in the window that neither country pair offers (not sent). */
  readonly notOffered: number;
  /** Flows in the window whose path reaches no bound node (not sent). */
  readonly unbound: number;
  /** Patients abroad in the window with a device whose uploads reach a bound node. */
  readonly devices: number;
  /** Stream the flows' own streams fork from. */
  readonly rng: RandomStream;
}

export function planLoad(spec: ScenarioSpec, bindings: Bindings, fromMs: number, toMs: number): LoadPlan {
  const rep = replicationStream(spec, 0);
  const population = generatePopulation(spec, rep);
  const cohorts = new Map(spec.population.map((c) => [c.name, c]));
  const journeys = rep.fork('journey');
  const flows: PlannedFlow[] = [];
  let seq = 0;
  let notOffered = 0;
  let unbound = 0;
  let devicePatients = 0;
  const end = Math.min(toMs, spec.durationMs);

  for (const p of population) {
    if (p.home === p.destination || p.arrivalMs >= spec.durationMs) continue;
    const cohort = cohorts.get(p.cohort)!;
    const rng = journeys.fork(p.id);
    const needs = drawNeeds(p, cohort, rng);
    const offered = (service: 'patientSummary' | 'ePrescription'): boolean =>
      spec.countries[p.home]?.services[service].asA === true && spec.countries[p.destination]?.services[service].asB === true;
    const add = (atMs: number, kind: LoadFlowKind, rest: Pick<PlannedFlow, 'prescription' | 'upload'>, name: string): void => {
      if (atMs < fromMs || atMs >= end) return;
      if (kind !== 'iotUpload' && !offered(kind)) {
        notOffered++;
        return;
      }
      const b = spec.countries[p.destination];
      const sites = kind === 'patientSummary' ? b?.hospitals.count ?? 0 : kind === 'ePrescription' ? b?.pharmacies.count ?? 0 : 0;
      // The site comes from the need's own fork: no other flow, in the window or not, shifts it.
      const site = kind === 'iotUpload' || sites === 0 ? null : `${kind === 'patientSummary' ? 'hospital' : 'pharmacy'}.${p.destination}.${rng.fork('load').fork(name).int(sites)}`;
      const route = bindings.route(kind, p, site);
      if (route === undefined) {
        unbound++;
        return;
      }
      flows.push({ atMs, seq: seq++, kind, patient: p, route, pointOfCare: site, stream: `${p.id}/${name}`, ...rest });
    };
    if (needs.refill !== null) add(needs.refill.atMs, 'ePrescription', { prescription: needs.refill.rx, upload: null }, 'refill');
    needs.emergencies.forEach((t, i) => add(t, 'patientSummary', { prescription: null, upload: null }, `emergency:${i}`));
    if (needs.devices.length > 0 && p.arrivalMs < end && bindings.route('iotUpload', p, null) !== undefined) devicePatients++;
    for (const u of uploads(p, cohort, needs.devices, spec.durationMs)) add(u.atMs, 'iotUpload', { prescription: null, upload: u.upload }, `upload:${u.upload.index}`);
  }
  flows.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  return { flows, population, fromMs, toMs: end, notOffered, unbound, devices: devicePatients, rng: rep.fork('load') };
}

interface Needs {
  readonly refill: StayPlan['refill'];
  readonly emergencies: readonly number[];
  readonly devices: readonly DeviceKind[];
}

/** The journey's own plan (agents/stay-plan.ts), then the devices it hands the same stream at arrival. */
function drawNeeds(p: Patient, cohort: CohortSpec, rng: RandomStream): Needs {
  const plan = planStay(p, cohort, rng);
  const devices = carriedDevices(p, cohort, rng);
  return { refill: plan.refill, emergencies: plan.emergencies, devices };
}

/** Readings a device takes in [0, t) of the stay: one at the start, then every interval. */
function readingsBefore(t: number, intervalMs: number): number {
  return t <= 0 ? 0 : Math.ceil(t / intervalMs - 1e-9);
}

function uploads(p: Patient, cohort: CohortSpec, devices: readonly DeviceKind[], durationMs: number): { atMs: number; upload: IotUpload }[] {
  if (devices.length === 0 || !(p.stayMs > 0)) return [];
  const span = Math.min(p.stayMs, durationMs - p.arrivalMs);
  const intervalMs = { cgm: cohort.iot.devices.cgm.intervalMs, bpMonitor: cohort.iot.devices.bpMonitor.intervalMs, wearable: cohort.iot.devices.wearable.intervalMs };
  const out: { atMs: number; upload: IotUpload }[] = [];
  for (let k = 0; k * IOT_UPLOAD_INTERVAL_MS < span; k++) {
    const from = k * IOT_UPLOAD_INTERVAL_MS;
    const to = Math.min(span, from + IOT_UPLOAD_INTERVAL_MS);
    const batch: DeviceReadings[] = [];
    for (const kind of devices) {
      const every = intervalMs[kind];
      const last = readingsBefore(to, every);
      const n = Math.min(last - readingsBefore(from, every), MAX_READINGS_PER_DEVICE);
      if (n <= 0) continue;
      batch.push({ kind, count: n, firstMs: p.arrivalMs + (last - n) * every, intervalMs: every });
    }
    if (batch.length === 0) continue;
    out.push({ atMs: p.arrivalMs + to, upload: { index: k, devices: batch } });
  }
  return out;
}
