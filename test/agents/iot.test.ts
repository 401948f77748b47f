// Connected devices abroad: who carries what, readings counted arithmetically
// between wake-ups, buffering offline, uploads per batch, alerts and their
// latency, device compromise, and the event budget (never one event per reading).
import { describe, expect, it } from 'vitest';
import { RandomStream, Simulation } from '../../engine/index.ts';
import { ConsentState } from '../../agents/consent.ts';
import { Connectivity, carriedDevices, COMPROMISE_POLL_MS, deviceFleet, fieldsPerReading, setOwnerLookup, SlotStream, startDevices, StreamTable } from '../../agents/iot/index.ts';
import { generatePopulation, type Patient } from '../../agents/population/index.ts';
import { World } from '../../agents/world.ts';
import { loadScenarioText } from '../../scenarios/load.ts';
import type { CohortIot, CohortSpec, DeviceKind, DeviceSpec, FaultSpec, PoliciesSpec, ScenarioSpec } from '../../scenarios/spec.ts';

const MIN = 60_000;
const H = 3_600_000;
const DAY = 86_400_000;

const yaml = (count: number, duration: string, loss = 0): string => `
name: iot
description: test
seed: 3
duration: ${duration}
start: 2026-07-01
countries:
  PT: {}
  ES: {}
network:
  latency: lognormal(20ms, 0.3)
  loss: ${loss}
population:
  - name: t
    count: ${count}
    home: PT
    destination: ES
    arrival: uniform(0d, 1d)
    stay: 14d
`;

interface Setup {
  count?: number;
  duration?: string;
  loss?: number;
  iot?: Partial<Omit<CohortIot, 'devices'>>;
  devices?: Partial<Record<DeviceKind, Partial<DeviceSpec>>>;
  policies?: Partial<PoliciesSpec>;
  faults?: readonly FaultSpec[];
}

/** The loader's spec with IoT, policies and faults overridden (spec objects are frozen: copy). */
function makeSpec(s: Setup = {}): ScenarioSpec {
  const base = loadScenarioText(yaml(s.count ?? 1, s.duration ?? '20d', s.loss ?? 0), 'x.yaml');
  const c0 = base.population[0]!;
  const off: DeviceSpec = { share: 0, intervalMs: 5 * MIN, bufferReadings: 100, defaultPassword: 0 };
  const dev = (k: DeviceKind): DeviceSpec => ({ ...off, ...s.devices?.[k] });
  const iot: CohortIot = {
    ...c0.iot,
    offlineShare: 0,
    alertsPerDay: 0,
    alertEmergencyShare: 0,
    ...s.iot,
    devices: { cgm: dev('cgm'), bpMonitor: dev('bpMonitor'), wearable: dev('wearable') },
  };
  return { ...base, population: [{ ...c0, iot }], policies: { ...base.policies, ...s.policies }, faults: s.faults ?? base.faults };
}

function patient(over: Partial<Patient> = {}): Patient {
  return {
    id: 't.0',
    index: 0,
    cohort: 't',
    home: 'PT',
    destination: 'ES',
    arrivalMs: 12_345.678, // off the grid on purpose: reading counts must not depend on float luck
    stayMs: DAY,
    age: 60,
    sex: 'female',
    conditions: ['E11.9'],
    prescriptions: [],
    consent: { patientSummary: true, ePrescription: true },
    identity: { nationalId: true, ehic: true, eudiWallet: false },
    ...over,
  };
}

/** Starts devices for the given patients at t = 0 (each process waits for its arrival) and runs. */
function run(spec: ScenarioSpec, patients: readonly Patient[], before?: (w: World) => void): { w: World; devices: number; owners: Set<string> } {
  const sim = new Simulation();
  const w = new World(sim, spec);
  before?.(w);
  const cohort: CohortSpec = spec.population[0]!;
  const root = RandomStream.root(spec.seed).fork('rep:0').fork('journey');
  let devices = 0;
  const owners = new Set<string>();
  for (const p of patients) {
    const n = startDevices(w, p, cohort, root.fork(p.id));
    devices += n;
    if (n > 0) owners.add(p.id);
  }
  sim.run(spec.durationMs);
  return { w, devices, owners };
}

const cgmOnly = { cgm: { share: 1, intervalMs: 5 * MIN, bufferReadings: 100 } };
/** Only its kind and target matter to the device process (the loader does not read faults yet). */
const cgmFault = { id: 'cgm-hack', kind: 'deviceCompromise', target: { kind: 'devices', device: 'cgm' } } as unknown as FaultSpec;

describe('which devices a patient carries', () => {
  it('CGM for diabetics, BP monitor for hypertensives, wearable for anyone; always three draws', () => {
    const cohort = makeSpec({ devices: { cgm: { share: 1 }, bpMonitor: { share: 1 }, wearable: { share: 1 } } }).population[0]!;
    const rng = RandomStream.root(1).fork('x');
    expect(carriedDevices(patient({ conditions: ['E10.9', 'I10'] }), cohort, rng)).toEqual(['cgm', 'bpMonitor', 'wearable']);
    expect(carriedDevices(patient({ conditions: ['J45.9'] }), cohort, rng)).toEqual(['wearable']);
    const none = makeSpec().population[0]!;
    const a = RandomStream.root(2).fork('y');
    const b = RandomStream.root(2).fork('y');
    expect(carriedDevices(patient({ conditions: ['I10'] }), none, a)).toEqual([]);
    b.next(), b.next(), b.next();
    expect(a.next()).toBe(b.next());
  });

  it('nothing starts for a patient at home, or with no device', () => {
    const spec = makeSpec({ devices: cgmOnly });
    const r = run(spec, [patient({ destination: 'PT' }), patient({ id: 't.1', conditions: [] })]);
    expect(r.devices).toBe(0);
    expect(r.w.iot.devices).toBe(0);
    expect(r.w.sim.processedCount).toBe(0);
  });
});

describe('connectivity', () => {
  it('offline share and mean spell come out as asked over a long horizon', () => {
    const rng = RandomStream.root(9).fork('c');
    const c = new Connectivity(0.3, 2 * H, 0, rng);
    let t = 0;
    let offline = 0;
    let spells = 0;
    const horizon = 20_000 * H;
    while (t < horizon) {
      const until = Math.min(c.nextChange, horizon);
      if (!c.online) offline += until - t;
      t = until;
      if (t < horizon) {
        if (c.online) spells++; // going offline
        c.toggle();
      }
    }
    expect(offline / horizon).toBeCloseTo(0.3, 1);
    expect(offline / spells / H).toBeGreaterThan(1.8);
    expect(offline / spells / H).toBeLessThan(2.2);
  });

  it('share 0 is always online, share 1 never', () => {
    const rng = RandomStream.root(9).fork('c');
    expect(new Connectivity(0, H, 0, rng)).toMatchObject({ online: true, nextChange: Infinity });
    expect(new Connectivity(1, H, 0, rng)).toMatchObject({ online: false, nextChange: Infinity });
  });
});

describe('readings, buffer and upload (known answers)', () => {
  it('always online, 5 min, one day: 288 generated and delivered, none lost, one batch', () => {
    const { w, devices } = run(makeSpec({ devices: cgmOnly }), [patient()]);
    expect(devices).toBe(1);
    expect(w.iot.devices).toBe(1);
    expect(w.iot.readingsGenerated).toBe(288);
    expect(w.iot.readingsDelivered).toBe(288);
    expect(w.iot.readingsLost).toBe(0);
    const f = w.flows.get('iotUpload');
    expect([f.attempts, f.succeeded, f.failed]).toEqual([1, 1, 0]);
    expect(f.latency.min).toBeGreaterThan(0);
  });

  it('a stay cut by the end of the run counts only readings before the end', () => {
    const spec = makeSpec({ devices: cgmOnly, duration: '1d' });
    const { w } = run(spec, [patient({ arrivalMs: 12 * H, stayMs: 3 * DAY })]);
    expect(w.iot.readingsGenerated).toBe(144);
  });

  it('always offline with a buffer of 100: nothing delivered, all but the last 100 lost, those go home', () => {
    const { w } = run(makeSpec({ devices: cgmOnly, iot: { offlineShare: 1 } }), [patient()]);
    expect(w.iot.readingsGenerated).toBe(288);
    expect(w.iot.readingsDelivered).toBe(0);
    expect(w.iot.readingsLost).toBe(288 - 100);
    expect(w.flows.get('iotUpload').attempts).toBe(0);
    expect(w.iot.personalFieldsCrossed).toBe(0);
  });

  it('data minimisation: 3 fields per delivered reading instead of 5', () => {
    const full = run(makeSpec({ devices: cgmOnly }), [patient()]).w.iot;
    const min = run(makeSpec({ devices: cgmOnly, policies: { dataMinimisation: true } }), [patient()]).w.iot;
    expect([fieldsPerReading(false), fieldsPerReading(true)]).toEqual([5, 3]);
    expect(full.personalFieldsCrossed).toBe(288 * 5);
    expect(min.personalFieldsCrossed).toBe(288 * 3);
    expect(min.readingsDelivered).toBe(full.readingsDelivered);
  });

  it('every message lost: each batch fails with TIMEOUT and stays buffered', () => {
    const { w } = run(makeSpec({ devices: cgmOnly, loss: 1 }), [patient()]);
    const f = w.flows.get('iotUpload');
    expect(f.attempts).toBe(1);
    expect(f.encode().failureReasons).toEqual({ TIMEOUT: 1 });
    expect(w.iot.readingsDelivered).toBe(0);
    expect(w.iot.readingsLost).toBe(188); // the failed batch went into the buffer of 100
  });

  it('a partitioned link fails uploads with ERROR_GENERIC_CONNECTION_NOT_POSSIBLE', () => {
    const { w } = run(makeSpec({ devices: cgmOnly }), [patient()], (w) => w.link('ES', 'PT').partitioned++);
    expect(w.flows.get('iotUpload').encode().failureReasons).toEqual({ ERROR_GENERIC_CONNECTION_NOT_POSSIBLE: 1 });
  });

  it('a failed batch while online is retried with doubling backoff until the link heals', () => {
    // A compromise fault on the kind makes the process poll every 6 h; no compromise is active.
    const spec = makeSpec({ devices: { cgm: { share: 1, defaultPassword: 1 } }, faults: [cgmFault] });
    const { w } = run(spec, [patient({ arrivalMs: 0 })], (w) => {
      const h = w.link('ES', 'PT');
      h.partitioned++;
      w.sim.process(
        (function* () {
          yield 7 * H;
          h.partitioned--;
        })(),
      );
    });
    const f = w.flows.get('iotUpload');
    // Fails at 6 h, then +1, +2, +4, +8, +16 min; succeeds at +32 min (7 h 03), after the heal.
    expect(f.encode().failureReasons).toEqual({ ERROR_GENERIC_CONNECTION_NOT_POSSIBLE: 6 });
    expect(w.iot.readingsDelivered).toBe(288);
    expect(w.iot.readingsLost).toBe(0);
  });

  it('intermittent connectivity: generated = delivered + lost + what is still buffered at departure', () => {
    const spec = makeSpec({ count: 300, devices: { cgm: { share: 1, bufferReadings: 50 }, wearable: { share: 1, intervalMs: 15 * MIN, bufferReadings: 20 } }, iot: { offlineShare: 0.4, offlineSpellMs: 6 * H } });
    const patients = generatePopulation(spec, RandomStream.root(1).fork('rep:0'));
    const { w, devices } = run(spec, patients);
    const i = w.iot;
    const leftover = i.readingsGenerated - i.readingsDelivered - i.readingsLost;
    expect(i.readingsLost).toBeGreaterThan(0);
    expect(i.readingsDelivered).toBeGreaterThan(i.readingsLost);
    expect(leftover).toBeGreaterThanOrEqual(0);
    expect(leftover).toBeLessThanOrEqual(devices * 50);
    expect(w.flows.get('iotUpload').failed).toBe(0);
  });
});

describe('alerts', () => {
  it('always online: every alert arrives within one interval plus the upload latency', () => {
    const spec = makeSpec({ count: 200, devices: cgmOnly, iot: { alertsPerDay: 2 } });
    const patients = generatePopulation(spec, RandomStream.root(1).fork('rep:0'));
    const { w } = run(spec, patients);
    expect(w.iot.alerts).toBeGreaterThan(50);
    expect(w.iot.alertLatency.count).toBe(w.iot.alerts);
    expect(w.iot.alertLatency.max).toBeLessThanOrEqual(5 * MIN + w.flows.get('iotUpload').latency.max);
  });

  it('offline: alerts wait for the connection, so they take longer', () => {
    const spec = (offlineShare: number): ScenarioSpec =>
      makeSpec({ count: 200, devices: { cgm: { share: 1, bufferReadings: 5000 } }, iot: { alertsPerDay: 2, offlineShare, offlineSpellMs: 6 * H } });
    const on = run(spec(0), generatePopulation(spec(0), RandomStream.root(1).fork('rep:0'))).w.iot.alertLatency;
    const off = run(spec(0.5), generatePopulation(spec(0.5), RandomStream.root(1).fork('rep:0'))).w.iot.alertLatency;
    expect(off.sum / off.count).toBeGreaterThan(20 * (on.sum / on.count));
  });

  it('alerts that become emergencies start the Patient Summary flow in B', () => {
    const spec = makeSpec({ count: 100, devices: cgmOnly, iot: { alertsPerDay: 1, alertEmergencyShare: 1 } });
    const { w } = run(spec, generatePopulation(spec, RandomStream.root(1).fork('rep:0')));
    const ps = w.flows.get('patientSummary').encode();
    const visits = ps.attempts + (ps.outcomes['noHospitalAvailable'] ?? 0);
    expect(w.iot.alerts).toBeGreaterThan(10);
    expect(visits).toBeGreaterThan(0);
    expect(visits).toBeLessThanOrEqual(w.iot.alerts);
  });
});

describe('device compromise', () => {
  const all = { share: 1, defaultPassword: 1 };
  const devices = { cgm: all, bpMonitor: all, wearable: all };

  it('share 1 on default-password devices exposes every device owner and exfiltrates every reading', () => {
    const spec = makeSpec({ count: 300, devices });
    const { w, owners } = run(spec, generatePopulation(spec, RandomStream.root(1).fork('rep:0')), (w) => {
      for (const k of ['cgm', 'bpMonitor', 'wearable'] as const) w.devices[k].compromise(1);
    });
    expect(owners.size).toBeGreaterThan(0);
    expect([...w.security.exposedPatients].sort()).toEqual([...owners].sort());
    expect(w.iot.readingsExfiltrated).toBe(w.iot.readingsGenerated);
  });

  it('no default passwords, nothing taken over', () => {
    const spec = makeSpec({ count: 100, devices: { wearable: { share: 1, defaultPassword: 0 } } });
    const { w } = run(spec, generatePopulation(spec, RandomStream.root(1).fork('rep:0')), (w) => w.devices.wearable.compromise(1));
    expect(w.security.exposedPatients.size).toBe(0);
    expect(w.iot.readingsExfiltrated).toBe(0);
  });

  it('a compromise window mid-stay is seen through polling when a scenario fault targets the kind', () => {
    const window = (w: World): void => {
      w.sim.process(
        (function* () {
          yield 2 * DAY;
          w.devices.cgm.compromise(1);
          yield DAY;
          w.devices.cgm.release(1);
        })(),
      );
    };
    const p = patient({ arrivalMs: 0, stayMs: 5 * DAY });
    const polled = run(makeSpec({ devices: { cgm: { share: 1, defaultPassword: 1 } }, faults: [cgmFault] }), [p], window);
    // Wakes every 6 h from arrival: the window [48 h, 72 h) covers readings in (48 h, 72 h], 288 of them.
    expect(COMPROMISE_POLL_MS).toBe(6 * H);
    expect(polled.w.iot.readingsExfiltrated).toBe(288);
    expect(polled.w.security.exposedPatients.has(p.id)).toBe(true);
    // Without such a fault the process does not poll and misses a window between its wake-ups (documented).
    const unpolled = run(makeSpec({ devices: { cgm: { share: 1, defaultPassword: 1 } } }), [p], window);
    expect(unpolled.w.iot.readingsExfiltrated).toBe(0);
  });
});

describe('determinism and cost', () => {
  it('same seed, same tallies', () => {
    const spec = makeSpec({ count: 300, devices: { cgm: { share: 0.8, defaultPassword: 0.5 }, wearable: { share: 0.3 } }, iot: { offlineShare: 0.2, offlineSpellMs: 6 * H, alertsPerDay: 0.5 } });
    const once = (): unknown => {
      const { w } = run(spec, generatePopulation(spec, RandomStream.root(1).fork('rep:0')), (w) => w.devices.cgm.compromise(0.5));
      return { iot: w.iot.encode(), flow: w.flows.get('iotUpload').encode(), exposed: [...w.security.exposedPatients], events: w.sim.processedCount };
    };
    expect(once()).toEqual(once());
  });

  it('10k patients x 14 days: events follow wake-ups, not readings', () => {
    const offlineShare = 0.2;
    const spell = 6 * H;
    const spec = makeSpec({
      count: 10_000,
      devices: { cgm: { share: 1 }, bpMonitor: { share: 1, intervalMs: 12 * H }, wearable: { share: 0.5, intervalMs: 15 * MIN } },
      iot: { offlineShare, offlineSpellMs: spell, alertsPerDay: 0.02 },
    });
    const patients = generatePopulation(spec, RandomStream.root(1).fork('rep:0'));
    const { w, owners } = run(spec, patients);
    // Per owner: start, wait for arrival, end of stay, plus connectivity changes (2 per cycle of
    // spell / share) and alert wake-ups; 50 % slack on the changes.
    const cycle = spell / offlineShare;
    const perOwner = 3 + 1.5 * ((2 * 14 * DAY) / cycle);
    const bound = owners.size * perOwner + w.iot.alerts + 100;
    expect(owners.size).toBeGreaterThan(4000);
    expect(w.sim.processedCount).toBeLessThan(bound);
    expect(w.sim.processedCount * 50).toBeLessThan(w.iot.readingsGenerated);
  });
});

describe('the fleet: one process, a few bytes per owner', () => {
  it('a stream slot draws bit for bit what RandomStream draws on the same path', () => {
    const table = new StreamTable(2);
    const view = new SlotStream(table, () => 'unused');
    for (const path of ['3/rep:0/journey/t.0/iot', '3/rep:0/journey/t.1/iot']) {
      const ref = RandomStream.root(3).fork('rep:0').fork('journey').fork(path.split('/')[3]!).fork('iot');
      expect(ref.path).toBe(path);
      table.seed(1, path);
      const s = view.at(1);
      for (let i = 0; i < 300; i++) {
        expect(s.next()).toBe(ref.next());
        expect(s.normal(20, 3)).toBe(ref.normal(20, 3));
        expect(s.exponential(50)).toBe(ref.exponential(50));
        expect(s.int(3)).toBe(ref.int(3));
      }
    }
  });

  it('an owner who arrives while the fleet sleeps is woken on time', () => {
    const spec = makeSpec({ devices: cgmOnly });
    const sim = new Simulation();
    const w = new World(sim, spec);
    const cohort = spec.population[0]!;
    const root = RandomStream.root(spec.seed).fork('rep:0').fork('journey');
    const a = patient({ arrivalMs: 0, stayMs: 5 * DAY });
    const b = patient({ id: 't.1', index: 1, arrivalMs: DAY, stayMs: DAY });
    startDevices(w, a, cohort, root.fork(a.id)); // always online, no alerts: the fleet sleeps until a departs
    sim.process(
      (function* () {
        yield DAY;
        startDevices(w, b, cohort, root.fork(b.id));
      })(),
    );
    sim.run(2 * DAY + MIN);
    expect(w.iot.readingsDelivered).toBe(288); // b's day, uploaded at b's departure
    expect(deviceFleet(w).owners).toBe(1);
    sim.run(spec.durationMs);
    expect(w.iot.readingsDelivered).toBe(288 + 5 * 288);
    expect(deviceFleet(w).owners).toBe(0);
  });

  it('costs under 150 bytes per owner abroad between wake-ups, and keeps no patient when a lookup is set', () => {
    // The loader's defaults for offline time and alerts; every owner carries two or three devices.
    const spec = makeSpec({
      count: 10_000,
      devices: { cgm: { share: 1 }, bpMonitor: { share: 1, intervalMs: 12 * H }, wearable: { share: 1, intervalMs: 15 * MIN } },
      iot: { offlineShare: 0.2, offlineSpellMs: 6 * H, alertsPerDay: 0.02, alertEmergencyShare: 0.3 },
    });
    const patients = generatePopulation(spec, RandomStream.root(1).fork('rep:0'));
    const sim = new Simulation();
    const w = new World(sim, spec);
    setOwnerLookup(w, { owner: (slot) => ({ p: patients[slot]!, consent: ConsentState.of(patients[slot]!) }) });
    const root = RandomStream.root(spec.seed).fork('rep:0').fork('journey');
    patients.forEach((p, slot) => startDevices(w, p, spec.population[0]!, root.fork(p.id), undefined, slot));
    const fleet = deviceFleet(w);
    sim.run(2 * DAY);
    expect(fleet.owners).toBeGreaterThan(4000);
    expect(fleet.bytes / fleet.owners).toBeLessThan(150);
    expect(fleet.patientsKept).toBe(0);
    sim.run(spec.durationMs);
    expect(fleet.owners).toBe(0);
  });

  it('an emergency regenerates its patient through the lookup, with the same results as a kept patient', () => {
    const spec = makeSpec({ count: 100, devices: cgmOnly, iot: { alertsPerDay: 1, alertEmergencyShare: 1 } });
    const patients = generatePopulation(spec, RandomStream.root(1).fork('rep:0'));
    const tallies = (w: World): unknown => ({ iot: w.iot.encode(), ps: w.flows.get('patientSummary').encode(), up: w.flows.get('iotUpload').encode() });
    const kept = run(spec, patients, (w) => {
      w.sim.process(
        (function* () {
          yield 12 * H;
          expect(deviceFleet(w).patientsKept).toBeGreaterThan(0);
        })(),
      );
    }).w;

    const sim = new Simulation();
    const w = new World(sim, spec);
    const asked: number[] = [];
    setOwnerLookup(w, {
      owner: (slot) => {
        asked.push(slot);
        return { p: patients[slot]!, consent: ConsentState.of(patients[slot]!) };
      },
    });
    const root = RandomStream.root(spec.seed).fork('rep:0').fork('journey');
    patients.forEach((p, slot) => startDevices(w, p, spec.population[0]!, root.fork(p.id), undefined, slot));
    expect(deviceFleet(w).patientsKept).toBe(0);
    sim.run(spec.durationMs);
    const ps = w.flows.get('patientSummary').encode();
    expect(asked.length).toBe(ps.attempts + (ps.outcomes['noHospitalAvailable'] ?? 0));
    expect(asked.length).toBeGreaterThan(0);
    expect(tallies(w)).toEqual(tallies(kept));
  });
});
