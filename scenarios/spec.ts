/**
 * ScenarioSpec: what a scenario means once loaded, validated and resolved.
 * Plain, frozen, JSON-serialisable data (it travels to worker threads and other
 * machines): times in ms, distributions as data, reference facts copied in,
 * maps as records with sorted keys. The loader is the only producer.
 */
import type { Distribution } from '../engine/index.ts';
import type { Catalogue, CountryFacts, DispensingRules, ServiceName } from './reference/types.ts';
import type { AdapterSpec } from './adapter-spec.ts';

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
  /** Patients' connected devices and their connectivity abroad. */
  readonly iot: CohortIot;
  readonly consentChanges: CohortConsent;
}

export interface ProtocolSpec {
  /** XCPD match probability by the best identity means a patient presents. */
  readonly identification: Readonly<Record<IdentityMeans, number>>;
}

export interface RetryPolicy {
  /** Extra attempts after the first (0 = no retry). */
  readonly max: number;
  /** Delay before the first retry; multiplied by `factor` each time. */
  readonly backoffMs: number;
  readonly factor: number;
  /** Random spread of each backoff, 0..1: the delay is scaled by 1 + jitter * (2u - 1). */
  readonly jitter: number;
}

/** A circuit breaker at B per country A: fail fast after consecutive transport failures. */
export interface CircuitBreakerPolicy {
  readonly enabled: boolean;
  /** Consecutive timeouts / connection failures that open the circuit. */
  readonly failures: number;
  /** How long it stays open before one trial request is let through. */
  readonly openMs: number;
}

export interface ConsentPolicy {
  /** How a revocation at A reaches A's NCP: pushed at once (after `pushDelay`) or picked up by polling. */
  readonly propagation: 'push' | 'poll';
  readonly pushDelay: Distribution;
  readonly pollIntervalMs: number;
}

export interface EncryptionPolicy {
  /** End-to-end encryption between the point of care and A's national service: relays see ciphertext. */
  readonly endToEnd: boolean;
  /** Extra processing per message when on, ms. */
  readonly costPerMessage: Distribution;
}

export interface AbuseDetectionPolicy {
  readonly enabled: boolean;
  /** More than `threshold` requests for one patient within `windowMs` raises an alert. */
  readonly perPatientThreshold: number;
  /** More than `threshold` requests from one point of care within `windowMs` raises an alert. */
  readonly perPointOfCareThreshold: number;
  readonly windowMs: number;
}

export interface PoliciesSpec {
  /** Client timeout per cross-border transaction (OpenNCP default 180 s). */
  readonly timeoutMs: Readonly<Record<ResponderTransaction, number>>;
  readonly retries: RetryPolicy;
  readonly circuitBreaker: CircuitBreakerPolicy;
  /** Patient Summaries retrieved at B are reused for this long (0 = no cache). */
  readonly cacheTtlMs: number;
  /** Patients carrying an offline Patient Summary in their EUDI wallet show it when the network fails. */
  readonly walletFallback: boolean;
  /** Emergency access without consent (purpose EMERGENCY), audited. */
  readonly breakGlass: boolean;
  readonly encryption: EncryptionPolicy;
  readonly consent: ConsentPolicy;
  /** Devices send only the fields the care purpose needs (no location, no ambient audio). */
  readonly dataMinimisation: boolean;
  readonly abuseDetection: AbuseDetectionPolicy;
}

export type FaultKind =
  | 'outage'
  | 'degraded'
  | 'partition'
  | 'latencySpike'
  | 'certificateExpiry'
  | 'terminologyOutage'
  | 'breach'
  | 'deviceCompromise';

/**
 * When a fault is active. `window`: once, [fromMs, toMs). `recurring`: from
 * firstMs, for forMs, every everyMs, until untilMs. `stochastic`: up for a draw
 * of mtbf, down for a draw of mttr, repeatedly, from the fault's own stream.
 */
export type FaultSchedule =
  | { readonly kind: 'window'; readonly fromMs: number; readonly toMs: number }
  | { readonly kind: 'recurring'; readonly firstMs: number; readonly forMs: number; readonly everyMs: number; readonly untilMs: number }
  | { readonly kind: 'stochastic'; readonly mtbf: Distribution; readonly mttr: Distribution };

/**
 * What a fault hits. `nodes`: node ids or patterns (`ncp.FR`, `pharmacy.FR.*`);
 * `link`: a country pair (`FR-DE`, sorted); `devices`: a device kind;
 * `terminology`: the central terminology service.
 */
export type FaultTarget =
  | { readonly kind: 'nodes'; readonly pattern: string }
  | { readonly kind: 'link'; readonly pair: string }
  | { readonly kind: 'devices'; readonly device: DeviceKind }
  | { readonly kind: 'terminology' };

export interface FaultSpec {
  /** Unique name; also the name of the fault's random stream. */
  readonly id: string;
  readonly kind: FaultKind;
  /** The selector as written (`ncp.FR`, `link FR-DE`, `device.cgm`, `terminology`). */
  readonly targetText: string;
  readonly target: FaultTarget;
  readonly schedule: FaultSchedule;
  /** degraded: service times multiplied by this (default 1). */
  readonly latencyFactor: number;
  /** degraded: probability a request fails with InternalError (default 0). */
  readonly errorRate: number;
  /** latencySpike: extra one-way latency on the link. */
  readonly extraLatency: Distribution;
  /** breach: time from compromise to detection. */
  readonly detection: Distribution;
  /** breach: time from detection to containment. */
  readonly containment: Distribution;
  /** deviceCompromise: share of devices (default passwords) that are taken over. */
  readonly share: number;
}

export type DeviceKind = 'cgm' | 'bpMonitor' | 'wearable';
export const DEVICE_KINDS: readonly DeviceKind[] = Object.freeze(['cgm', 'bpMonitor', 'wearable']);

export interface DeviceSpec {
  /** Share of eligible patients who carry one (cgm: diabetics; bpMonitor: hypertensives; wearable: everyone). */
  readonly share: number;
  /** Time between readings. */
  readonly intervalMs: number;
  /** Readings the device (or phone) can hold while offline; more are lost. */
  readonly bufferReadings: number;
  /** Share of devices still on their default password. */
  readonly defaultPassword: number;
}

export interface CohortIot {
  readonly devices: Readonly<Record<DeviceKind, DeviceSpec>>;
  /** Share of the stay the phone has no data connection (roaming off, no coverage). */
  readonly offlineShare: number;
  /** Mean length of an offline spell. */
  readonly offlineSpellMs: number;
  /** Critical events (e.g. glucose < 54 mg/dL) per device-day that raise an alert. */
  readonly alertsPerDay: number;
  /** Share of alerts that become an emergency visit in B (starting the Patient Summary flow). */
  readonly alertEmergencyShare: number;
}

/** Consent behaviour of a cohort beyond the initial opt-in. */
export interface CohortConsent {
  /** Share of patients who revoke cross-border consent during the stay ("red button"). */
  readonly revokeShare: number;
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
  /** Faults in declaration order (ids unique). */
  readonly faults: readonly FaultSpec[];
  /** k6-style threshold expressions over the Report (`flows.ePrescription.latencyMs.p95 < 5000`). */
  readonly thresholds: readonly string[];
  /** Nodes bound to real FHIR endpoints for `pitsim load`, by node id or pattern (absent when none). */
  readonly adapters?: Readonly<Record<string, AdapterSpec>>;
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
