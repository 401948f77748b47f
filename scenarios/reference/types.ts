/**
 * Types of the shipped reference data: which country offers which MyHealth@EU
 * service in which role as of a date, national dispensing rules, and the code
 * catalogue (ICD-10, ATC, EDQM, LOINC). Everything is readonly plain data
 * (strings, numbers, booleans, arrays, records; no Date, Map or class) so it
 * survives structured clone to worker threads and JSON round trips unchanged.
 */

/** Calendar date `YYYY-MM-DD`. Plain string so it compares lexicographically and clones. */
export type IsoDate = string;

export const SERVICE_NAMES = ['patientSummary', 'ePrescription'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A = country of affiliation (its patients' data is used abroad); B = country of treatment. */
export const COUNTRY_ROLES = ['A', 'B'] as const;
export type CountryRole = (typeof COUNTRY_ROLES)[number];

export const SERVICE_STATUSES = ['live', 'planned', 'none'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/**
 * One dated statement from one source about one (service, role) of a country.
 * `asOf` is when the source attests it; `since`, if present, is when the status
 * took effect (earlier than asOf for "live since ...", later for an announced go-live).
 */
export interface ServiceFact {
  readonly service: ServiceName;
  readonly role: CountryRole;
  readonly status: ServiceStatus;
  readonly since?: IsoDate;
  readonly asOf: IsoDate;
  readonly source: string;
}

export const VKAS = ['warfarin', 'phenprocoumon', 'acenocoumarol'] as const;
/** The vitamin-K antagonist a country's prescribers use by default. */
export type Vka = (typeof VKAS)[number];

export interface DispensingRules {
  /** May a pharmacist substitute a generic for the prescribed product (absent an N on the line)? */
  readonly substitutionAllowed: boolean;
  readonly vka: Vka;
  readonly metamizoleAuthorised: boolean;
  readonly asOf: IsoDate;
  readonly source: string;
}

/** A national identifier scheme; `format` and `example` are illustrative, not validated rules. */
export interface NationalIdScheme {
  readonly name: string;
  readonly format: string;
  readonly example: string;
}

export interface CountryFacts {
  /** ISO 3166-1 alpha-2 (GR for Greece, not the EU's EL). */
  readonly code: string;
  readonly name: string;
  /** @faker-js/faker locale chain, most specific first, always ending `en`, `base`. */
  readonly fakerLocales: readonly string[];
  readonly nationalId: NationalIdScheme;
  /** In file order; later entries win ties (see serviceStatus). */
  readonly services: readonly ServiceFact[];
  readonly dispensing: DispensingRules;
}

export const AGE_BANDS = ['18-39', '40-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Another ICD-10 code the same condition may be recorded under (e.g. recurrent depression). */
export interface ConditionVariant {
  readonly icd10: string;
  readonly display: string;
}

export interface ConditionEntry {
  readonly icd10: string;
  readonly display: string;
  readonly chronic: boolean;
  /** True when the condition keeps an ePrescription active (refills while abroad). */
  readonly prescription: boolean;
  /** Adult prevalence by age band, each in [0, 1]. */
  readonly prevalence: Readonly<Record<AgeBand, number>>;
  /** ATC codes, most common first; every one is in Catalogue.medications. */
  readonly medications: readonly string[];
  /** Relative choice weights, same length as medications, non-increasing, all > 0. */
  readonly weights: readonly number[];
  readonly variants?: readonly ConditionVariant[];
}

export const MEDICATION_FLAGS = ['BIO', 'VKA', 'RESTR', 'NTI', 'BRAND_CLASH'] as const;
/**
 * BIO biological (brand required, no substitution); VKA vitamin-K antagonist
 * (national preference); RESTR not authorised everywhere; NTI no generic switch;
 * BRAND_CLASH the same brand name means another drug elsewhere.
 */
export type MedicationFlag = (typeof MEDICATION_FLAGS)[number];

export const SUBSTITUTION_CODES = ['G', 'TE', 'N'] as const;
/** HL7 v3 substanceAdminSubstitution: G generic, TE therapeutic, N none. */
export type SubstitutionCode = (typeof SUBSTITUTION_CODES)[number];

export interface MedicationEntry {
  readonly atc: string;
  readonly inn: string;
  /** EDQM dose form code, one of Catalogue.doseForms. */
  readonly doseForm: string;
  /** EDQM route code; always the route of its dose form. */
  readonly route: string;
  readonly flags: readonly MedicationFlag[];
  /** Default permission on an eP line; N whenever flags has BIO or NTI. */
  readonly substitution: SubstitutionCode;
  readonly strength?: string;
}

export interface DoseFormEntry {
  readonly code: string;
  readonly term: string;
  readonly route: string;
  readonly routeTerm: string;
}

export const DOCUMENT_KINDS = ['patientSummary', 'ePrescription', 'eDispensation'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentCode {
  readonly loinc: string;
  readonly display: string;
}

export const OBSERVATION_KINDS = ['glucose', 'systolicBp', 'diastolicBp', 'heartRate', 'spo2'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

export interface ObservationCode {
  readonly loinc: string;
  readonly display: string;
  /** UCUM unit. */
  readonly unit: string;
  /** Extra, more specific LOINC codings to send alongside (e.g. pulse oximetry). */
  readonly alsoCoded?: readonly string[];
  /** LOINC panel the observation is a component of (blood pressure). */
  readonly panel?: string;
}

export interface Catalogue {
  readonly conditions: readonly ConditionEntry[];
  readonly medications: readonly MedicationEntry[];
  readonly doseForms: readonly DoseFormEntry[];
  readonly documents: Readonly<Record<DocumentKind, DocumentCode>>;
  readonly observations: Readonly<Record<ObservationKind, ObservationCode>>;
}

export interface ReferenceData {
  /** Keyed by ISO code, keys inserted in sorted order. */
  readonly countries: Readonly<Record<string, CountryFacts>>;
  readonly catalogue: Catalogue;
}
