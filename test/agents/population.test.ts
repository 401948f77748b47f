// The population generator: deterministic per (seed, replication, cohort, index),
// common random numbers across what-ifs, catalogue-faithful prevalence and
// prescriptions, and demographics consistent with the clinical core.
import { loadScenarioText } from '../../scenarios/load.ts';
import { describe, expect, it } from 'vitest';
import { RandomStream, type Distribution } from '../../engine/index.ts';
import type { CohortSpec, CountrySpec, NcpTransaction, ScenarioSpec } from '../../scenarios/spec.ts';
import { NCP_TRANSACTIONS } from '../../scenarios/spec.ts';
import { loadReferenceData } from '../../scenarios/reference/load.ts';
import type { ServiceName } from '../../scenarios/reference/types.ts';
import {
  DemographicsGenerator,
  demographics,
  generatePatient,
  generatePopulation,
  type Patient,
} from '../../agents/population/index.ts';
import { quantile } from '../../agents/population/generate.ts';
import { ehicNumber, hetuCheckChar, isValidHetu, kvnrCheckDigit, luhnCheckDigit, nirKey } from '../../agents/population/identifiers.ts';

const reference = loadReferenceData();
const DAY = 86_400_000;
const START = '2025-07-01';

const c = (value: number): Distribution => ({ kind: 'const', value });

function country(code: string): CountrySpec {
  const serviceTime = Object.fromEntries(NCP_TRANSACTIONS.map((t) => [t, c(100)])) as Record<NcpTransaction, Distribution>;
  const facts = reference.countries[code]!;
  return {
    code,
    name: facts.name,
    ncp: { capacity: 4, serviceTime },
    pharmacies: { count: 1, staff: 1, serviceTime: c(60_000) },
    hospitals: { count: 1, staff: 1, serviceTime: c(60_000) },
    services: { patientSummary: { asA: true, asB: true }, ePrescription: { asA: true, asB: true } },
    dispensing: facts.dispensing,
    transcodingErrorRate: 0,
    translationMissingRate: 0,
  };
}

// Defaults for the parts of the spec this test does not exercise, from the real loader.
const loaded = loadScenarioText(
  'name: fixture\ndescription: x\nduration: 1d\ncountries: {FI: {}, EE: {}}\npopulation: [{name: a, count: 1, home: FI, destination: EE}]\n',
  'fixture.yaml',
);

function cohort(over: Partial<CohortSpec> & { name: string }): CohortSpec {
  return {
    iot: loaded.population[0]!.iot,
    consentChanges: loaded.population[0]!.consentChanges,
    count: 200,
    home: { values: ['DE', 'FI', 'FR'], weights: [1, 1, 1] },
    destination: { values: ['ES', 'FR'], weights: [2, 1] },
    arrival: { kind: 'uniform', min: 0, max: 30 * DAY },
    stay: { kind: 'lognormal', median: 7 * DAY, sigma: 0.5 },
    age: { kind: 'normal', mean: 50, sd: 20 },
    female: 0.5,
    prevalenceScale: 1,
    consent: { patientSummary: 0.6, ePrescription: 0.5 },
    identity: { nationalId: 0.9, ehic: 0.7, eudiWallet: 0.2 },
    refillShare: 0.3,
    emergencyPerDay: 0.01,
    fallback: { payPrivately: 1, paperPrescription: 1, goWithout: 1 },
    ...over,
  };
}

function scenario(population: CohortSpec[]): ScenarioSpec {
  const codes = ['DE', 'ES', 'FI', 'FR'];
  const link = { latency: c(20), loss: 0 };
  return {
    name: 'population-fixture',
    description: 'test fixture',
    source: 'population.test.ts',
    seed: 42,
    durationMs: 60 * DAY,
    replications: 1,
    startDate: START,
    countries: Object.fromEntries(codes.map((k) => [k, country(k)])),
    network: { default: link, links: {}, national: link },
    population,
    protocol: { identification: { nationalId: 0.95, ehic: 0.9, eudiWallet: 0.99 } },
    policies: loaded.policies,
    faults: [],
    thresholds: [],
    reference: { countries: Object.fromEntries(codes.map((k) => [k, reference.countries[k]!])), catalogue: reference.catalogue },
  };
}

const base = scenario([cohort({ name: 'tourists' }), cohort({ name: 'retirees', age: { kind: 'uniform', min: 65, max: 90 } })]);
const rep = (r: number, seed = 42): RandomStream => RandomStream.root(seed).fork(`rep:${r}`);

/** Whole years between a YYYY-MM-DD birth date and a YYYY-MM-DD date. */
function ageOn(birth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

const clinical = (p: Patient) => ({ age: p.age, sex: p.sex, conditions: p.conditions, prescriptions: p.prescriptions, home: p.home, arrivalMs: p.arrivalMs, stayMs: p.stayMs });

describe('population', () => {
  it('is a pure function of seed and replication, patients and demographics alike', () => {
    const a = generatePopulation(base, rep(0));
    const b = generatePopulation(base, rep(0));
    expect(b).toEqual(a);
    expect(a.map((p) => p.id).slice(0, 2)).toEqual(['tourists.0', 'tourists.1']);
    expect(a).toHaveLength(400);
    const gen = new DemographicsGenerator(base);
    // Reseeded per patient: order of calls and a fresh generator change nothing.
    const forward = a.slice(0, 20).map((p) => gen.generate(p, rep(0)));
    const backward = a.slice(0, 20).reverse().map((p) => demographics(base, p, rep(0))).reverse();
    expect(backward).toEqual(forward);
    expect(generatePatient(base, 1, 7, rep(0))).toEqual(a[207]);
  });

  it('gives different people in another replication or with another seed', () => {
    const a = generatePopulation(base, rep(0));
    for (const other of [generatePopulation(base, rep(1)), generatePopulation(base, rep(0, 43))]) {
      const same = a.filter((p, i) => p.age === other[i]!.age && p.arrivalMs === other[i]!.arrivalMs).length;
      expect(same).toBeLessThan(5);
    }
    expect(demographics(base, a[0]!, rep(1)).givenName + demographics(base, a[1]!, rep(1)).givenName).not.toEqual(
      demographics(base, a[0]!, rep(0)).givenName + demographics(base, a[1]!, rep(0)).givenName,
    );
  });

  it("changing cohort 0's count leaves cohort 1 unchanged", () => {
    const a = generatePopulation(base, rep(0)).filter((p) => p.cohort === 'retirees');
    const bigger = scenario([cohort({ name: 'tourists', count: 777 }), base.population[1]!]);
    const b = generatePopulation(bigger, rep(0)).filter((p) => p.cohort === 'retirees');
    expect(b).toEqual(a);
  });

  it('changing a consent share changes only consent', () => {
    const a = generatePopulation(base, rep(0));
    const what = scenario(base.population.map((k) => ({ ...k, consent: { ...k.consent, patientSummary: 0.95 } })));
    const b = generatePopulation(what, rep(0));
    expect(b.map(clinical)).toEqual(a.map(clinical));
    expect(b.map((p) => p.identity)).toEqual(a.map((p) => p.identity));
    expect(b.map((p) => p.consent.ePrescription)).toEqual(a.map((p) => p.consent.ePrescription));
    // Monotone: a higher share only adds opt-ins.
    a.forEach((p, i) => p.consent.patientSummary && expect(b[i]!.consent.patientSummary).toBe(true));
    expect(b.filter((p) => p.consent.patientSummary).length).toBeGreaterThan(a.filter((p) => p.consent.patientSummary).length);
  });

  it('each attribute keeps its own draws: another age law moves nothing but age and conditions', () => {
    const a = generatePopulation(base, rep(0));
    const what = scenario(base.population.map((k) => ({ ...k, age: { kind: 'triangular', min: 20, mode: 30, max: 80 } as const })));
    const b = generatePopulation(what, rep(0));
    const trip = (p: Patient) => [p.sex, p.home, p.destination, p.arrivalMs, p.stayMs, p.consent, p.identity];
    expect(b.map(trip)).toEqual(a.map(trip));
    expect(b.map((p) => p.age)).not.toEqual(a.map((p) => p.age));
  });

  it('samples distributions by their quantiles', () => {
    const std = { kind: 'normal', mean: 0, sd: 1 } as const;
    expect(quantile(std, 0.975)).toBeCloseTo(1.959964, 6);
    expect(quantile(std, 0.5)).toBeCloseTo(0, 9);
    expect(quantile(std, 0.001)).toBeCloseTo(-3.090232, 6);
    expect(Number.isFinite(quantile(std, 0))).toBe(true);
    expect(quantile({ kind: 'lognormal', median: 7, sigma: 0.5 }, 0.5)).toBeCloseTo(7, 9);
    expect(quantile({ kind: 'empirical', values: [1, 2, 3], weights: [1, 0, 1] }, 0.6)).toBe(3);
    const people = generatePopulation(scenario([cohort({ name: 'many', count: 20_000 })]), rep(0));
    const arrivals = people.map((p) => p.arrivalMs / (30 * DAY));
    const mean = arrivals.reduce((x, y) => x + y, 0) / arrivals.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(3 * Math.sqrt(1 / 12 / arrivals.length));
  });

  it('I10 prevalence among 65+ matches the catalogue within 3 standard errors', () => {
    const n = 20_000;
    const old = scenario([cohort({ name: 'old', count: n, age: { kind: 'uniform', min: 65, max: 95 } })]);
    const people = generatePopulation(old, rep(0));
    const expected = reference.catalogue.conditions.find((k) => k.icd10 === 'I10')!.prevalence['65+'];
    const share = people.filter((p) => p.conditions.includes('I10')).length / n;
    const se = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(share - expected)).toBeLessThan(3 * se);
    // prevalenceScale scales it, and N40 is men only.
    const doubled = generatePopulation(scenario([{ ...old.population[0]!, prevalenceScale: 1.5 }]), rep(0));
    expect(doubled.filter((p) => p.conditions.includes('I10')).length / n).toBeGreaterThan(share * 1.3);
    expect(people.some((p) => p.sex === 'female' && p.conditions.includes('N40'))).toBe(false);
    expect(people.some((p) => p.sex === 'male' && p.conditions.includes('N40'))).toBe(true);
  });

  it("prescribes one of each prescribed condition's medications; biologicals by brand, no substitution", () => {
    const people = generatePopulation(scenario([cohort({ name: 'sick', count: 5000, prevalenceScale: 3 })]), rep(0));
    const byCode = new Map(reference.catalogue.conditions.map((k) => [k.icd10, k]));
    const bio = new Set(reference.catalogue.medications.filter((m) => m.flags.includes('BIO')).map((m) => m.atc));
    let adalimumab = 0;
    for (const p of people) {
      expect(p.prescriptions.map((rx) => rx.condition)).toEqual(p.conditions.filter((k) => byCode.get(k)!.prescription));
      for (const rx of p.prescriptions) {
        expect(byCode.get(rx.condition)!.medications).toContain(rx.atc);
        if (rx.atc === 'L04AB04') {
          adalimumab++;
          expect(rx.brandOnly).toBe(true);
          expect(rx.substitution).toBe('N');
        }
        expect(rx.brandOnly).toBe(bio.has(rx.atc));
        if (rx.brandOnly) expect(rx.substitution).toBe('N');
      }
      expect(p.age).toBeGreaterThanOrEqual(0);
      expect(p.age).toBeLessThanOrEqual(110);
      expect(p.destination).not.toBe(p.home);
    }
    expect(adalimumab).toBeGreaterThan(0);
  });

  it('birth dates match ages on startDate, ids match their national formats', () => {
    const young = cohort({ name: 'mixed', count: 300, age: { kind: 'uniform', min: 0, max: 111 } });
    const spec = scenario([young]);
    const gen = new DemographicsGenerator(spec);
    let fi = 0;
    for (const p of generatePopulation(spec, rep(0))) {
      const d = gen.generate(p, rep(0));
      expect(ageOn(d.birthDate, START)).toBe(p.age);
      expect(d.address.country).toBe(p.home);
      expect(d.givenName.length).toBeGreaterThan(0);
      expect(d.ehic === null).toBe(!p.identity.ehic);
      if (d.ehic !== null) {
        expect(d.ehic).toMatch(/^80\d{18}$/);
        expect(luhnCheckDigit(d.ehic.slice(0, 19))).toBe(d.ehic[19]);
      }
      if (p.home === 'FI') {
        fi++;
        expect(d.locale).toBe('fi');
        expect(isValidHetu(d.nationalId)).toBe(true);
        const [dd, mm, yy] = [d.birthDate.slice(8, 10), d.birthDate.slice(5, 7), d.birthDate.slice(2, 4)];
        expect(d.nationalId.slice(0, 6)).toBe(dd + mm + yy);
        expect(d.nationalId[6]).toBe(d.birthDate < '1900' ? '+' : d.birthDate < '2000' ? '-' : 'A');
        expect(Number(d.nationalId.slice(7, 10)) % 2 === 1).toBe(p.sex === 'male');
      } else if (p.home === 'DE') {
        expect(d.nationalId).toMatch(/^[A-Z]\d{9}$/);
        expect(kvnrCheckDigit(d.nationalId[0]!, d.nationalId.slice(1, 9))).toBe(d.nationalId[9]);
      } else if (p.home === 'FR') {
        expect(d.nationalId).toMatch(/^[12]\d{14}$/);
        expect(d.nationalId.slice(1, 5)).toBe(d.birthDate.slice(2, 4) + d.birthDate.slice(5, 7));
        expect(nirKey(d.nationalId.slice(0, 13))).toBe(d.nationalId.slice(13));
      }
    }
    expect(fi).toBeGreaterThan(50);
  });

  it('check characters agree with published examples', () => {
    expect(hetuCheckChar('131052', '308')).toBe('T'); // the Finnish tax administration's example 131052-308T
    expect(isValidHetu('131052-308T')).toBe(true);
    expect(isValidHetu('131052-308U')).toBe(false);
    expect(kvnrCheckDigit('A', '12345678')).toBe('0'); // A123456780
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(ehicNumber('DE', RandomStream.root(1))).toMatch(/^80276\d{15}$/);
  });

  it('covers every consent category and identity means', () => {
    const p = generatePatient(base, 0, 0, rep(0));
    expect(Object.keys(p.consent).sort()).toEqual((['ePrescription', 'patientSummary'] satisfies ServiceName[]).sort());
    expect(Object.keys(p.identity)).toEqual(['nationalId', 'ehic', 'eudiWallet']);
  });
});
