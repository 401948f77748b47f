/**
 * `protocol:` and `policies:` -> ProtocolSpec and PoliciesSpec. One timeout
 * applies to every cross-border transaction unless `timeouts` names one;
 * retries back off by `factor` from `backoff`. Timeouts must be > 0.
 */
import type { PoliciesSpec, ProtocolSpec, ResponderTransaction } from '../spec.ts';
import { parseDistribution, parseDuration } from '../../engine/index.ts';
import {
  DEFAULT_ABUSE_DETECTION,
  DEFAULT_BREAK_GLASS,
  DEFAULT_CACHE_TTL,
  DEFAULT_CIRCUIT_BREAKER,
  DEFAULT_CONSENT_PROPAGATION,
  DEFAULT_DATA_MINIMISATION,
  DEFAULT_ENCRYPTION,
  DEFAULT_IDENTIFICATION,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_JITTER,
  DEFAULT_TIMEOUT,
  DEFAULT_WALLET_FALLBACK,
} from '../defaults.ts';
import type { Context } from './context.ts';
import type { Entry } from './reader.ts';
import { shares } from './shares.ts';

/** Every ResponderTransaction once (a Record so the compiler checks it is complete). */
const RESPONDER: Readonly<Record<ResponderTransaction, true>> = { xcpd: true, xcaQuery: true, xcaRetrieve: true, xdrSubmit: true };
const TRANSACTIONS = Object.keys(RESPONDER) as ResponderTransaction[];

export function readProtocol(ctx: Context, e: Entry | undefined): ProtocolSpec {
  const f = e && ctx.r.fields(e.value, e.path, ['identification']);
  return { identification: shares(ctx.r, f?.get('identification'), DEFAULT_IDENTIFICATION, 'probability') };
}

export function readPolicies(ctx: Context, e: Entry | undefined): PoliciesSpec {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, ['timeout', 'timeouts', 'retries']);
  const t = f?.get('timeout');
  const timeout = (t && r.duration(t.value, t.path, true)) ?? parseDuration(DEFAULT_TIMEOUT);
  const ts = f?.get('timeouts');
  const per = ts && r.fields(ts.value, ts.path, TRANSACTIONS);
  const timeoutMs = {} as Record<ResponderTransaction, number>;
  for (const k of TRANSACTIONS) {
    const x = per?.get(k);
    timeoutMs[k] = (x && r.duration(x.value, x.path, true)) ?? timeout;
  }
  const re = f?.get('retries');
  const rf = re && r.fields(re.value, re.path, ['max', 'backoff', 'factor']);
  const max = rf?.get('max');
  const backoff = rf?.get('backoff');
  const factor = rf?.get('factor');
  return {
    timeoutMs,
    retries: {
      max: (max && r.integer(max.value, max.path, 0)) ?? DEFAULT_RETRIES.max,
      backoffMs: (backoff && r.duration(backoff.value, backoff.path, false)) ?? parseDuration(DEFAULT_RETRIES.backoff),
      factor: (factor && r.number(factor.value, factor.path, { min: 1 })) ?? DEFAULT_RETRIES.factor,
      jitter: DEFAULT_RETRY_JITTER,
    },
    circuitBreaker: { enabled: DEFAULT_CIRCUIT_BREAKER.enabled, failures: DEFAULT_CIRCUIT_BREAKER.failures, openMs: parseDuration(DEFAULT_CIRCUIT_BREAKER.open) },
    cacheTtlMs: parseDuration(DEFAULT_CACHE_TTL),
    walletFallback: DEFAULT_WALLET_FALLBACK,
    breakGlass: DEFAULT_BREAK_GLASS,
    encryption: { endToEnd: DEFAULT_ENCRYPTION.endToEnd, costPerMessage: parseDistribution(DEFAULT_ENCRYPTION.costPerMessage) },
    consent: {
      propagation: DEFAULT_CONSENT_PROPAGATION.propagation,
      pushDelay: parseDistribution(DEFAULT_CONSENT_PROPAGATION.pushDelay),
      pollIntervalMs: parseDuration(DEFAULT_CONSENT_PROPAGATION.pollInterval),
    },
    dataMinimisation: DEFAULT_DATA_MINIMISATION,
    abuseDetection: {
      enabled: DEFAULT_ABUSE_DETECTION.enabled,
      perPatientThreshold: DEFAULT_ABUSE_DETECTION.perPatientThreshold,
      perPointOfCareThreshold: DEFAULT_ABUSE_DETECTION.perPointOfCareThreshold,
      windowMs: parseDuration(DEFAULT_ABUSE_DETECTION.window),
    },
  };
}
