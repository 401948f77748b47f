// The scenario loader on valid input: a full scenario resolves to the expected
// ScenarioSpec (defaults, units, reference facts as of the start date,
// overrides, sorted keys, frozen, JSON round trip), and --set overrides work or
// fail with messages located in the set string.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, loadScenario, loadScenarioText, ScenarioError } from '../../scenarios/load.ts';
import { loadReferenceData, offers } from '../../scenarios/reference/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { issuesOfText as issuesOf } from '../helpers/scenario-issues.ts';

const FULL = `
name: fi-ee-eprescription
description: Finnish travellers refill their ePrescriptions in Estonia and Sweden.
seed: 42
duration: 14d
replications: 5
start: 2026-08-01
countries:
  FI:
    ncp:
      capacity: 8
      serviceTime: { xcpd: lognormal(370ms, 0.14), xcaRetrieve: "lognormal(0.7s, 0.1)" }
    pharmacies: { count: 12, staff: 3, serviceTime: lognormal(5min, 0.4) }
    services:
      patientSummary: { asA: true }
    dispensing: { vka: phenprocoumon }
    transcodingErrorRate: 0.002
  SE: {}
  EE:
network:
  latency: lognormal(12ms, 0.3)
  links:
    FI-EE: { latency: lognormal(8ms, 0.2), loss: 0.001 }
    SE-FI: { loss: 0.01 }
population:
  - name: finnish-travellers
    count: 2000
    home: FI
    destination: { SE: 0.3, EE: 0.7 }
    stay: uniform(2d, 7d)
    age: triangular(20, 40, 80)
    consent: 0.9
    identity: { eudiWallet: 0.5 }
    refills: 0.7
    emergencies: 0.01
    fallback: { payPrivately: 1, paperPrescription: 0, goWithout: 0 }
  - name: estonian-commuters
    count: 50
    home: EE
    destination: FI
    arrival: exp(1d)
protocol:
  identification: { ehic: 0.9 }
policies:
  timeout: 60s
  timeouts: { xcpd: 30s }
  retries: { max: 2, backoff: 500ms }
`;

const MINIMAL = `
name: minimal
description: Only what is required.
duration: 7d
countries: { FI: {}, EE: {} }
population:
  - { name: a, count: 10, home: FI, destination: EE }
`;


function deepFrozen(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return true;
  return Object.isFrozen(x) && Object.values(x).every(deepFrozen);
}

/** Paths of objects whose keys are not in sorted order. */
function unsorted(x: unknown, path = ''): string[] {
  if (x === null || typeof x !== 'object') return [];
  if (Array.isArray(x)) return x.flatMap((v, i) => unsorted(v, `${path}[${i}]`));
  const keys = Object.keys(x);
  const here = keys.join() === [...keys].sort().join() ? [] : [path];
  return [...here, ...keys.flatMap((k) => unsorted((x as Record<string, unknown>)[k], `${path}.${k}`))];
}

describe('loadScenarioText: a full scenario', () => {
  const spec = loadScenarioText(FULL, 'full.yaml');
  const ref = loadReferenceData();

  it('reads the top level, with units converted to ms', () => {
    expect(spec.name).toBe('fi-ee-eprescription');
    expect(spec.source).toBe('full.yaml');
    expect(spec.seed).toBe(42);
    expect(spec.durationMs).toBe(14 * 86_400_000);
    expect(spec.replications).toBe(5);
    expect(spec.startDate).toBe('2026-08-01');
  });

  it('applies overrides to a country and defaults to the rest', () => {
    const fi = spec.countries.FI!;
    expect(fi.name).toBe('Finland');
    expect(fi.ncp.capacity).toBe(8);
    expect(fi.ncp.serviceTime.xcpd).toEqual({ kind: 'lognormal', median: 370, sigma: 0.14 });
    expect(fi.ncp.serviceTime.xcaRetrieve).toEqual({ kind: 'lognormal', median: 700, sigma: 0.1 });
    expect(fi.ncp.serviceTime.xcaQuery).toEqual({ kind: 'lognormal', median: 414, sigma: 0.08 });
    expect(fi.pharmacies).toEqual({ count: 12, staff: 3, serviceTime: { kind: 'lognormal', median: 300_000, sigma: 0.4 } });
    expect(fi.hospitals).toEqual({ count: 2, staff: 4, serviceTime: { kind: 'lognormal', median: 1_200_000, sigma: 0.5 } });
    expect(fi.transcodingErrorRate).toBe(0.002);
    expect(fi.translationMissingRate).toBe(0.01);
    const ee = spec.countries.EE!;
    expect(ee.ncp.capacity).toBe(16);
    expect(ee.ncp.serviceTime).toEqual({
      hcpAssertion: { kind: 'lognormal', median: 30, sigma: 0.3 },
      outbound: { kind: 'lognormal', median: 15, sigma: 0.3 },
      translate: { kind: 'lognormal', median: 120, sigma: 0.3 },
      trc: { kind: 'lognormal', median: 40, sigma: 0.3 },
      xcaQuery: { kind: 'lognormal', median: 414, sigma: 0.08 },
      xcaRetrieve: { kind: 'lognormal', median: 655, sigma: 0.12 },
      xcpd: { kind: 'lognormal', median: 370, sigma: 0.13 },
      xdrSubmit: { kind: 'lognormal', median: 480, sigma: 0.15 },
    });
    expect(ee.pharmacies.count).toBe(10);
    expect(ee.transcodingErrorRate).toBe(0.001);
  });

  it('resolves services from the reference facts as of the start date, then overrides', () => {
    for (const code of ['FI', 'SE', 'EE']) {
      const facts = ref.countries[code]!;
      for (const s of ['patientSummary', 'ePrescription'] as const) {
        const roles = spec.countries[code]!.services[s];
        const overridden = code === 'FI' && s === 'patientSummary';
        expect(roles.asA, `${code} ${s} A`).toBe(overridden ? true : offers(facts, s, 'A', '2026-08-01'));
        expect(roles.asB, `${code} ${s} B`).toBe(offers(facts, s, 'B', '2026-08-01'));
      }
    }
    // The override matters: the reference facts do not have FI sending patient summaries.
    expect(offers(ref.countries.FI!, 'patientSummary', 'A', '2026-08-01')).toBe(false);
  });

  it('takes reference facts as of the start date', () => {
    const early = loadScenarioText(FULL.replace('start: 2026-08-01', 'start: 2018-12-01'), 'early.yaml');
    // FI's first cross-border ePrescription went live on 2019-01-21.
    expect(early.countries.FI!.services.ePrescription.asA).toBe(false);
    expect(spec.countries.FI!.services.ePrescription.asA).toBe(true);
  });

  it('overrides dispensing rules field by field and says so in the source', () => {
    const d = spec.countries.FI!.dispensing;
    const r = ref.countries.FI!.dispensing;
    expect(d.vka).toBe('phenprocoumon');
    expect(d.substitutionAllowed).toBe(r.substitutionAllowed);
    expect(d.metamizoleAuthorised).toBe(r.metamizoleAuthorised);
    expect(d.asOf).toBe(r.asOf);
    expect(d.source).toContain('scenario override (vka)');
    expect(spec.countries.EE!.dispensing).toEqual(ref.countries.EE!.dispensing);
  });

  it('reads the network: default, national and links under their sorted key', () => {
    expect(spec.network.default).toEqual({ latency: { kind: 'lognormal', median: 12, sigma: 0.3 }, loss: 0 });
    expect(spec.network.national).toEqual({ latency: { kind: 'lognormal', median: 3, sigma: 0.3 }, loss: 0 });
    expect(spec.network.links).toEqual({
      'EE-FI': { latency: { kind: 'lognormal', median: 8, sigma: 0.2 }, loss: 0.001 },
      'FI-SE': { latency: { kind: 'lognormal', median: 12, sigma: 0.3 }, loss: 0.01 },
    });
  });

  it('reads cohorts with defaults, mixes sorted by code', () => {
    const [a, b] = spec.population;
    expect(a).toMatchObject({
      name: 'finnish-travellers',
      count: 2000,
      home: { values: ['FI'], weights: [1] },
      destination: { values: ['EE', 'SE'], weights: [0.7, 0.3] },
      arrival: { kind: 'uniform', min: 0, max: 14 * 86_400_000 },
      stay: { kind: 'uniform', min: 2 * 86_400_000, max: 7 * 86_400_000 },
      age: { kind: 'triangular', min: 20, mode: 40, max: 80 },
      female: 0.5,
      prevalenceScale: 1,
      consent: { ePrescription: 0.9, patientSummary: 0.9 },
      identity: { ehic: 0.9, eudiWallet: 0.5, nationalId: 1 },
      refillShare: 0.7,
      emergencyPerDay: 0.01,
      fallback: { goWithout: 0, paperPrescription: 0, payPrivately: 1 },
    });
    expect(b!.arrival).toEqual({ kind: 'exponential', mean: 86_400_000 });
    expect(b!.stay).toEqual({ kind: 'uniform', min: 2 * 86_400_000, max: 10 * 86_400_000 });
    expect(b!.age).toEqual({ kind: 'triangular', min: 18, mode: 45, max: 90 });
    expect(b!.consent).toEqual({ ePrescription: 1, patientSummary: 1 });
    expect(b!.fallback).toEqual({ goWithout: 0.2, paperPrescription: 0.3, payPrivately: 0.5 });
  });

  it('reads protocol and policies', () => {
    expect(spec.protocol.identification).toEqual({ ehic: 0.9, eudiWallet: 0.999, nationalId: 0.995 });
    expect(spec.policies).toMatchObject({
      timeoutMs: { xcaQuery: 60_000, xcaRetrieve: 60_000, xcpd: 30_000, xdrSubmit: 60_000 },
      retries: { max: 2, backoffMs: 500, factor: 2 },
    });
  });

  it('copies in the facts of the declared countries only, and the whole catalogue', () => {
    expect(Object.keys(spec.reference.countries)).toEqual(['EE', 'FI', 'SE']);
    expect(spec.reference.countries.FI).toEqual(ref.countries.FI);
    expect(spec.reference.catalogue).toEqual(ref.catalogue);
  });

  it('is deep-frozen, has every key sorted and survives a JSON round trip', () => {
    expect(deepFrozen(spec)).toBe(true);
    expect(unsorted(spec)).toEqual([]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('does not depend on the order keys are written in', () => {
    const reordered = FULL.replace('  SE: {}\n  EE:\n', '  EE:\n  SE: {}\n').replace('seed: 42\nduration: 14d', 'duration: 14d\nseed: 42');
    expect(JSON.stringify(loadScenarioText(reordered, 'full.yaml'))).toBe(JSON.stringify(spec));
  });
});

describe('loadScenarioText: defaults', () => {
  it('fills every default for a minimal scenario', () => {
    const s = loadScenarioText(MINIMAL, 'min.yaml');
    expect(s.seed).toBe(1);
    expect(s.replications).toBe(10);
    expect(s.startDate).toBe('2026-06-01');
    expect(s.network.links).toEqual({});
    expect(s.network.default).toEqual({ latency: { kind: 'lognormal', median: 10, sigma: 0.3 }, loss: 0 });
    expect(s.population[0]!.arrival).toEqual({ kind: 'uniform', min: 0, max: 7 * 86_400_000 });
    expect(s.population[0]!.identity).toEqual({ ehic: 0.9, eudiWallet: 0.05, nationalId: 1 });
    expect(s.policies.timeoutMs).toEqual({ xcaQuery: 180_000, xcaRetrieve: 180_000, xcpd: 180_000, xdrSubmit: 180_000 });
    expect(s.policies.retries).toMatchObject({ max: 0, backoffMs: 2000, factor: 2 });
    expect(s.protocol.identification).toEqual({ ehic: 0.97, eudiWallet: 0.999, nationalId: 0.995 });
  });

  it('weighs a fallback left out as 0 once any is given', () => {
    const s = loadScenarioText(MINIMAL.replace('destination: EE }', 'destination: EE, fallback: { payPrivately: 1 } }'), 'x.yaml');
    expect(s.population[0]!.fallback).toEqual({ goWithout: 0, paperPrescription: 0, payPrivately: 1 });
  });

  it('reads a distribution with commas inside a { } mapping as one value', () => {
    const s = loadScenarioText(MINIMAL.replace('countries: { FI: {}, EE: {} }', 'countries: { FI: { hospitals: { serviceTime: empirical(10min:0.2, 1h:0.8), staff: 2 } }, EE: {} }'), 'x.yaml');
    expect(s.countries.FI!.hospitals.serviceTime).toEqual({ kind: 'empirical', values: [600_000, 3_600_000], weights: [0.2, 0.8] });
    expect(s.countries.FI!.hospitals.staff).toBe(2);
  });
});

describe('the reference page', () => {
  it('its complete example loads', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../scenarios/README.md'), 'utf8');
    const example = /## A complete example\s+```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const s = loadScenarioText(example!, 'README.md');
    expect(s.name).toBe('fi-ee-eprescription');
    expect(s.countries.FI!.services.patientSummary.asA).toBe(true);
  });
});

describe('--set overrides', () => {
  it('replace values, reach list items and create missing mappings', () => {
    const s: ScenarioSpec = loadScenarioText(FULL, 'full.yaml', {
      sets: [
        'replications=3',
        'population[0].count=100',
        'policies.retries.max=0',
        'countries.DE.services.ePrescription.asA=true',
        'countries.EE.ncp={ capacity: 4, serviceTime: { xcpd: lognormal(1s, 0.2) } }',
        'network.links.EE-FI.loss=0.5',
        'description=What if: more retries',
        'start=2026-09-01',
      ],
    });
    expect(s.replications).toBe(3);
    expect(s.population[0]!.count).toBe(100);
    expect(s.policies.retries.max).toBe(0);
    expect(s.countries.DE!.services.ePrescription.asA).toBe(true);
    expect(Object.keys(s.reference.countries)).toEqual(['DE', 'EE', 'FI', 'SE']);
    expect(s.countries.EE!.ncp.capacity).toBe(4);
    expect(s.countries.EE!.ncp.serviceTime.xcpd).toEqual({ kind: 'lognormal', median: 1000, sigma: 0.2 });
    expect(s.network.links['EE-FI']!.loss).toBe(0.5);
    expect(s.description).toBe('What if: more retries');
    expect(s.startDate).toBe('2026-09-01');
  });

  it('later sets win', () => {
    expect(loadScenarioText(MINIMAL, 'm.yaml', { sets: ['seed=5', 'seed=6'] }).seed).toBe(6);
  });

  it('report bad syntax, bad paths and bad values at their column in the set string', () => {
    expect(
      issuesOf(MINIMAL, {
        sets: ['replications=0', 'seed', 'policies.retires.max=2', 'population[3].count=1', 'population.count=3', 'name.x=1', 'a..b=1', 'population[x]=1', 'duration=-2d', 'countries.FX={}'],
      }),
    ).toEqual([
      '--set:1:3: a..b: a key name is missing here (expected `key.path=value`, such as `replications=3` or `population[0].count=100`)',
      '--set:1:5: `seed` has no `=` (expected `key.path=value`, such as `replications=3` or `population[0].count=100`)',
      '--set:1:6: name.x: `name` holds the value minimal, so there is nothing inside it to set; hint: set `name=...` itself',
      '--set:1:10: duration: bad duration "-2d" (expected a duration >= 0)',
      '--set:1:10: policies.retires: unknown key; hint: did you mean `retries`?',
      '--set:1:11: population[3].count: `population` has 1 item, so there is no [3] (expected an index from 0 to 0); hint: a set changes items; it cannot add them',
      '--set:1:11: population[x]: a list index is malformed (expected a whole number in brackets, such as `[0]`)',
      '--set:1:11: countries.FX: unknown country `FX` (expected the ISO 3166-1 code of an EU member state); hint: did you mean `FI`?',
      '--set:1:12: population.count: `population` is not a mapping, so it has no key `count`; hint: pick an item first: `population[0].count`',
      '--set:1:14: replications: 0 is out of range (expected a whole number >= 1)',
    ]);
  });

  it('are checked even when the file has problems too', () => {
    expect(issuesOf(MINIMAL.replace('duration: 7d', 'duration: 7x'), { sets: ['seed=-1'] })).toEqual([
      '--set:1:6: seed: -1 is out of range (expected a whole number >= 0)',
      'x.yaml:4:12: duration: bad duration "7x" (expected a time unit (ms, s, min, h, d)); hint: did you mean `s`?',
    ]);
  });
});

describe('loadScenario', () => {
  it('reads a file and names it as given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-load-'));
    try {
      const file = join(dir, 'scenario.yaml');
      writeFileSync(file, MINIMAL);
      expect(loadScenario(file).source).toBe(file);
      expect(loadScenario(file, { sets: ['seed=9'] }).seed).toBe(9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns a missing file into a ScenarioError', () => {
    expect(() => loadScenario('no/such/scenario.yaml')).toThrow(ScenarioError);
    try {
      loadScenario('no/such/scenario.yaml');
    } catch (e) {
      expect((e as ScenarioError).issues.map(formatIssue)).toEqual(['no/such/scenario.yaml:1:1: cannot read the scenario: no such file; hint: check the path']);
    }
  });
});

describe('formatIssue', () => {
  it('leaves out the parts that are empty', () => {
    expect(formatIssue({ file: 'a.yaml', line: 3, column: 7, path: 'seed', message: 'got nothing', expected: 'a whole number >= 0', hint: 'write 1' })).toBe(
      'a.yaml:3:7: seed: got nothing (expected a whole number >= 0); hint: write 1',
    );
    expect(formatIssue({ file: 'a.yaml', line: 1, column: 1, path: '', message: 'the scenario is empty' })).toBe('a.yaml:1:1: the scenario is empty');
  });

  it('ScenarioError carries every issue and lists them in its message', () => {
    const issues = issuesOf('name: x\ndescription: y\nduration: 0d\nreplicatons: 2\n');
    expect(issues.length).toBeGreaterThanOrEqual(4);
    try {
      loadScenarioText('name: x\n', 'x.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).code).toBe('BAD_SCENARIO');
      expect((e as ScenarioError).message).toContain('x.yaml:1:1: description: missing required key');
    }
  });
});
