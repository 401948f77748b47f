/**
 * Every default of the scenario language, in one place. A key left out of a
 * scenario takes the value here. Distributions are written in the scenario
 * notation (parsed by the loader like any scenario value) so this file reads
 * like a scenario; NCP service times are placeholders until calibrated.
 */
import type { Fallback, IdentityMeans, NcpTransaction } from './spec.ts';
import type { ServiceName } from './reference/types.ts';

export const DEFAULT_SEED = 1;
export const DEFAULT_REPLICATIONS = 10;
/** Date of t = 0; reference facts (which country offers what) are taken as of it. */
export const DEFAULT_START_DATE = '2026-06-01';

export const DEFAULT_NCP_CAPACITY = 16;
/** Service time of one transaction at a national contact point. */
export const DEFAULT_NCP_SERVICE_TIME: Readonly<Record<NcpTransaction, string>> = Object.freeze({
  hcpAssertion: 'lognormal(30ms, 0.3)',
  xcpd: 'lognormal(370ms, 0.13)',
  trc: 'lognormal(40ms, 0.3)',
  xcaQuery: 'lognormal(414ms, 0.08)',
  xcaRetrieve: 'lognormal(655ms, 0.12)',
  translate: 'lognormal(120ms, 0.3)',
  xdrSubmit: 'lognormal(480ms, 0.15)',
  outbound: 'lognormal(15ms, 0.3)',
});

export interface PointOfCareDefaults {
  readonly count: number;
  readonly staff: number;
  readonly serviceTime: string;
}
export const DEFAULT_PHARMACIES: PointOfCareDefaults = Object.freeze({ count: 10, staff: 2, serviceTime: 'lognormal(4min, 0.4)' });
export const DEFAULT_HOSPITALS: PointOfCareDefaults = Object.freeze({ count: 2, staff: 4, serviceTime: 'lognormal(20min, 0.5)' });

export const DEFAULT_TRANSCODING_ERROR_RATE = 0.001;
export const DEFAULT_TRANSLATION_MISSING_RATE = 0.01;

/** One-way latency between two countries' NCPs, unless `network.links` says otherwise. */
export const DEFAULT_LINK_LATENCY = 'lognormal(10ms, 0.3)';
export const DEFAULT_LINK_LOSS = 0;
/** Point of care to its own NCP. */
export const DEFAULT_NATIONAL_LATENCY = 'lognormal(3ms, 0.3)';
export const DEFAULT_NATIONAL_LOSS = 0;

/** Cohort arrival defaults to uniform over the whole run: uniform(0ms, <duration>). */
export const DEFAULT_STAY = 'uniform(2d, 10d)';
/** Age in years (a number distribution, no units). */
export const DEFAULT_AGE = 'triangular(18, 45, 90)';
/** Ages a cohort's age distribution may reach. */
export const AGE_MIN = 0;
export const AGE_MAX = 120;
export const DEFAULT_FEMALE = 0.5;
export const DEFAULT_PREVALENCE_SCALE = 1;
export const DEFAULT_CONSENT: Readonly<Record<ServiceName, number>> = Object.freeze({ patientSummary: 1, ePrescription: 1 });
export const DEFAULT_IDENTITY: Readonly<Record<IdentityMeans, number>> = Object.freeze({ nationalId: 1, ehic: 0.9, eudiWallet: 0.05 });
export const DEFAULT_REFILL_SHARE = 0.6;
export const DEFAULT_EMERGENCY_PER_DAY = 0.002;
export const DEFAULT_FALLBACK: Readonly<Record<Fallback, number>> = Object.freeze({ payPrivately: 0.5, paperPrescription: 0.3, goWithout: 0.2 });

/** XCPD match probability by the best identity means presented. */
export const DEFAULT_IDENTIFICATION: Readonly<Record<IdentityMeans, number>> = Object.freeze({ nationalId: 0.995, ehic: 0.97, eudiWallet: 0.999 });

/** Client timeout of every cross-border transaction (OpenNCP's default). */
export const DEFAULT_TIMEOUT = '180s';
export const DEFAULT_RETRIES = Object.freeze({ max: 0, backoff: '2s', factor: 2 });

/** Retry jitter: 0 = none. */
export const DEFAULT_RETRY_JITTER = 0;
export const DEFAULT_CIRCUIT_BREAKER = Object.freeze({ enabled: false, failures: 5, open: '60s' });
/** 0 = Patient Summaries are not cached at B. */
export const DEFAULT_CACHE_TTL = '0ms';
export const DEFAULT_WALLET_FALLBACK = false;
export const DEFAULT_BREAK_GLASS = false;
export const DEFAULT_ENCRYPTION = Object.freeze({ endToEnd: false, costPerMessage: 'lognormal(3ms, 0.3)' });
export const DEFAULT_CONSENT_PROPAGATION = Object.freeze({ propagation: 'push' as const, pushDelay: 'exp(5s)', pollInterval: '1h' });
export const DEFAULT_DATA_MINIMISATION = false;
/** OpenNCP's commented-out examples: 100 requests per patient or point of care per 900 s. */
export const DEFAULT_ABUSE_DETECTION = Object.freeze({ enabled: false, perPatientThreshold: 100, perPointOfCareThreshold: 100, window: '900s' });

/** Connected devices: which patients carry them, how often they read, how much they buffer. */
export const DEFAULT_DEVICES = Object.freeze({
  cgm: Object.freeze({ share: 0.5, interval: '5min', bufferReadings: 2016, defaultPassword: 0.1 }),
  bpMonitor: Object.freeze({ share: 0.2, interval: '12h', bufferReadings: 60, defaultPassword: 0.3 }),
  wearable: Object.freeze({ share: 0.15, interval: '15min', bufferReadings: 672, defaultPassword: 0.2 }),
});
export const DEFAULT_OFFLINE_SHARE = 0.2;
export const DEFAULT_OFFLINE_SPELL = '6h';
export const DEFAULT_ALERTS_PER_DAY = 0.02;
export const DEFAULT_ALERT_EMERGENCY_SHARE = 0.3;
export const DEFAULT_REVOKE_SHARE = 0;

/** Faults: parameters a fault kind takes when the scenario leaves them out. */
export const DEFAULT_DEGRADED_FACTOR = 1;
export const DEFAULT_DEGRADED_ERROR_RATE = 0;
/** latencySpike: extra one-way latency on the link. */
export const DEFAULT_EXTRA_LATENCY = '2s';
/** breach: compromise -> detection, then detection -> containment. */
export const DEFAULT_BREACH_DETECTION = 'lognormal(7d, 0.5)';
export const DEFAULT_BREACH_CONTAINMENT = 'lognormal(1d, 0.5)';
/** deviceCompromise: every device still on its default password is taken over. */
export const DEFAULT_COMPROMISE_SHARE = 1;
