/**
 * The synthetic patient: who travels where and when, what they live with, what
 * they are prescribed, what they consent to and which identity means they carry.
 * Plain readonly data, a pure function of (seed, replication, cohort name, index);
 * names and addresses are not here (see demographics.ts, generated lazily).
 */
import type { IdentityMeans } from '../../scenarios/spec.ts';
import type { ServiceName, SubstitutionCode } from '../../scenarios/reference/types.ts';

export type Sex = 'female' | 'male';

/** Every identity means, in the fixed order patients draw them. */
export const IDENTITY_MEANS: readonly IdentityMeans[] = Object.freeze(['nationalId', 'ehic', 'eudiWallet'] satisfies IdentityMeans[]);

/** An active ePrescription held at the patient's home country (A). */
export interface Prescription {
  /** `${patient.id}.rx${k}`, k counting the patient's prescriptions from 0. */
  readonly id: string;
  /** ATC code of the prescribed active ingredient. */
  readonly atc: string;
  /** ICD-10 code of the condition it treats (one of the patient's conditions). */
  readonly condition: string;
  /** Substitution the prescriber allows on the line; always N for biologicals. */
  readonly substitution: SubstitutionCode;
  /** Biologicals are prescribed and dispensed by brand (Directive 2012/52/EU annex). */
  readonly brandOnly: boolean;
}

export interface Patient {
  /** `${cohort}.${index}`, unique within a scenario. */
  readonly id: string;
  /** Position within the cohort. */
  readonly index: number;
  readonly cohort: string;
  /** Country of affiliation (A). */
  readonly home: string;
  /** Country of treatment (B). */
  readonly destination: string;
  /** Arrival in B, ms since the scenario epoch, never negative. */
  readonly arrivalMs: number;
  readonly stayMs: number;
  /** Whole years at the scenario's start date, 0..110. */
  readonly age: number;
  readonly sex: Sex;
  /** ICD-10 codes, in catalogue order. */
  readonly conditions: readonly string[];
  /** One per condition that keeps an ePrescription active, in catalogue order. */
  readonly prescriptions: readonly Prescription[];
  /** Opted in to cross-border sharing, per data category. */
  readonly consent: Readonly<Record<ServiceName, boolean>>;
  /** Carries this identity means on the trip. */
  readonly identity: Readonly<Record<IdentityMeans, boolean>>;
}
