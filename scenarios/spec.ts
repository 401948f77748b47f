/**
 * ScenarioSpec: what a scenario means once loaded, validated and resolved.
 * Plain, frozen, JSON-serialisable data (it travels to worker threads and other
 * machines): times in ms, distributions as data, reference facts copied in,
 * maps as records with sorted keys. The loader is the only producer.
 */
import type { Distribution } from '../engine/index.ts';
import type { Catalogue, CountryFacts, DispensingRules, ServiceName } from './reference/types.ts';

export type CountryCode = string;

/** A choice among values with relative weights (values sorted, weights aligned). */
export interface WeightedChoice<T extends string = string> {
  readonly values: readonly T[];
  readonly weights: readonly number[];
}

/** Transactions an NCPeH serves as country A (responding gateway). */
export type ResponderTransaction = 'xcpd' | 'xcaQuery' | 'xcaRetrieve' | 'xdrSubmit';
/** Work an NCPeH does as country B (initiating gateway, TRC-STS, translation). */
export type InitiatorTransaction = 'hcpAssertion' | 'trc' | 'outbound' | 'translate';
export type NcpTransaction = ResponderTransaction | InitiatorTransaction;

export const NCP_TRANSACTIONS: readonly NcpTransaction[] = Object.freeze([
  'hcpAssertion',
  'xcpd',
  'trc',
  'xcaQuery',
  'xcaRetrieve',
  'translate',
  'xdrSubmit',
  'outbound',
]);

export interface NcpSpec {
  /** Transactions served at once; more wait in a FIFO queue. */
  readonly capacity: number;
  /** Service time per transaction kind at this node (ms). */
  readonly serviceTime: Readonly<Record<NcpTransaction, Distribution>>;
}

export interface PointOfCareSpec {
  /** How many (ids `pharmacy.FR.0` ... or `hospital.FR.0` ...). */
  readonly count: number;
  /** Staff per site: a Resource of this capacity. */
  readonly staff: number;
  /** Time a staff member spends with the patient outside the cross-border exchange. */
  readonly serviceTime: Distribution;
}

/** Whether a country takes part in a service as A and as B, on the scenario's date. */
export interface ServiceRoles {
  readonly asA: boolean;
  readonly asB: boolean;
}

export interface CountrySpec {
  readonly code: CountryCode;
  readonly name: string;
  readonly ncp: NcpSpec;
  readonly pharmacies: PointOfCareSpec;
  readonly hospitals: PointOfCareSpec;
  /** Resolved from reference data as of `startDate`, then scenario overrides. */
  readonly services: Readonly<Record<ServiceName, ServiceRoles>>;
  readonly dispensing: DispensingRules;
  /** Probability that A fails to transcode a document into the pivot (4203). */
  readonly transcodingErrorRate: number;
  /** Probability that B lacks a translation (warning only; the pivot is shown). */
  readonly translationMissingRate: number;
}

export interface LinkSpec {
  /** One-way latency (ms). */
  readonly latency: Distribution;
  /** Probability a message is lost. */
  readonly loss: number;
}

export interface NetworkSpec {
  readonly default: LinkSpec;
  /** Per country pair, key `AA-BB` with codes sorted; symmetric. */
  readonly links: Readonly<Record<string, LinkSpec>>;
  /** Latency between a point of care and its own NCP (national network). */
  readonly national: LinkSpec;
}

export type IdentityMeans = 'nationalId' | 'ehic' | 'eudiWallet';
export type Fallback = 'payPrivately' | 'paperPrescription' | 'goWithout';

export interface CohortSpec {
  readonly name: string;
  readonly count: number;
  /** Country of affiliation (A) mix. */
  readonly home: WeightedChoice<CountryCode>;
  /** Country of treatment (B) mix. */
  readonly destination: WeightedChoice<CountryCode>;
  /** Arrival in B, ms since the epoch. */
  readonly arrival: Distribution;
  /** Length of stay, ms. */
  readonly stay: Distribution;
  /** Age in years (number distribution). */
  readonly age: Distribution;
  /** Share of women. */
  readonly female: number;
  /** Multiplies every catalogue prevalence (1 = as catalogued). */
  readonly prevalenceScale: number;
  /** Share opting in to cross-border sharing, per data category. */
  readonly consent: Readonly<Record<ServiceName, number>>;
  /** Share carrying each identity means. */
  readonly identity: Readonly<Record<IdentityMeans, number>>;
  /** Share of patients with an active ePrescription who need it dispensed during the stay. */
  readonly refillShare: number;
  /** Emergency visits per day of stay (Poisson rate). */
  readonly emergencyPerDay: number;
  /** What a patient does when the ePrescription fails (relative weights). */
  readonly fallback: Readonly<Record<Fallback, number>>;
}

export interface ProtocolSpec {
  /** XCPD match probability by the best identity means a patient presents. */
  readonly identification: Readonly<Record<IdentityMeans, number>>;
}

export interface RetryPolicy {
  /** Extra attempts after the first (0 = no retry). */
  readonly max: number;
  /** Delay before the first retry; doubled (x factor) each time. */
  readonly backoffMs: number;
  readonly factor: number;
}

export interface PoliciesSpec {
  /** Client timeout per cross-border transaction (OpenNCP default 180 s). */
  readonly timeoutMs: Readonly<Record<ResponderTransaction, number>>;
  readonly retries: RetryPolicy;
}

export interface ScenarioSpec {
  readonly name: string;
  readonly description: string;
  /** Where it came from (for messages only; not part of the meaning). */
  readonly source: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly replications: number;
  /** Calendar date of t = 0 (YYYY-MM-DD): reference facts and faker dates are taken as of it. */
  readonly startDate: string;
  readonly countries: Readonly<Record<CountryCode, CountrySpec>>;
  readonly network: NetworkSpec;
  readonly population: readonly CohortSpec[];
  readonly protocol: ProtocolSpec;
  readonly policies: PoliciesSpec;
  /** The facts the run used, copied in so the spec is self-contained. */
  readonly reference: {
    readonly countries: Readonly<Record<CountryCode, CountryFacts>>;
    readonly catalogue: Catalogue;
  };
}

/** Key of a symmetric link between two countries. */
export function linkKey(a: CountryCode, b: CountryCode): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}
