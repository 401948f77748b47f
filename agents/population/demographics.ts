/**
 * Names, birth date, address, phone and identifiers of a patient, for the demo
 * and FHIR seeding (generated lazily, never by generatePopulation). Faker is
 * reseeded from the patient's own stream before each patient and every date is
 * taken relative to the scenario's startDate, so no wall clock is read and the
 * result depends only on (seed, replication, cohort, index), not on call order.
 */
import { Faker, allLocales, type LocaleDefinition } from '@faker-js/faker';
import type { RandomStream } from '../../engine/index.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { patientStream } from './generate.ts';
import { ehicNumber, nationalId } from './identifiers.ts';
import type { Patient } from './patient.ts';

export interface Address {
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2 of the home country. */
  readonly country: string;
}

export interface Demographics {
  readonly givenName: string;
  readonly familyName: string;
  /** YYYY-MM-DD; the patient is `age` whole years old on spec.startDate. */
  readonly birthDate: string;
  readonly address: Address;
  readonly phone: string;
  readonly nationalId: string;
  /** 20-digit card number, or null when the patient does not carry an EHIC. */
  readonly ehic: string | null;
  /** The most specific faker locale used, e.g. `de_AT`. */
  readonly locale: string;
}

const LOCALES: Readonly<Record<string, LocaleDefinition>> = allLocales;

/** Resolves a locale chain to known faker locales, always ending `en`, `base` so missing data falls back. */
function resolveChain(names: readonly string[]): string[] {
  const chain = names.filter((n) => LOCALES[n] !== undefined);
  for (const tail of ['en', 'base']) if (!chain.includes(tail)) chain.push(tail);
  return chain;
}

/** One Faker per locale chain, built on first use and reseeded per patient; share one per spec. */
export class DemographicsGenerator {
  private readonly fakers = new Map<string, Faker>();

  constructor(private readonly spec: ScenarioSpec) {}

  private fakerFor(chain: readonly string[]): Faker {
    const key = chain.join(',');
    let faker = this.fakers.get(key);
    if (faker === undefined) {
      faker = new Faker({ locale: chain.map((n) => LOCALES[n]!) });
      this.fakers.set(key, faker);
    }
    return faker;
  }

  /** The patient's demographics; `rep` is the replication stream the patient was generated from. */
  generate(patient: Patient, rep: RandomStream): Demographics {
    const refDate = this.spec.startDate;
    const chain = resolveChain(this.spec.reference.countries[patient.home]?.fakerLocales ?? []);
    const faker = this.fakerFor(chain);
    const stream = patientStream(rep, patient.cohort, patient.index);
    faker.seed(stream.fork('demographics').seed32());

    // Faker calls in a fixed order: each consumes its generator.
    const givenName = faker.person.firstName(patient.sex);
    const familyName = faker.person.lastName(patient.sex);
    const birthDate = faker.date.birthdate({ mode: 'age', min: patient.age, max: patient.age, refDate }).toISOString().slice(0, 10);
    const street = faker.location.streetAddress();
    const city = faker.location.city();
    const postalCode = faker.location.zipCode();
    const phone = faker.phone.number();

    return {
      givenName,
      familyName,
      birthDate,
      address: { street, city, postalCode, country: patient.home },
      phone,
      nationalId: nationalId(patient.home, birthDate, patient.sex, stream.fork('nationalId')),
      ehic: patient.identity.ehic ? ehicNumber(patient.home, stream.fork('ehic')) : null,
      locale: chain[0]!,
    };
  }
}

/** One patient's demographics (builds a throwaway generator; use DemographicsGenerator for many). */
export function demographics(spec: ScenarioSpec, patient: Patient, rep: RandomStream): Demographics {
  return new DemographicsGenerator(spec).generate(patient, rep);
}
