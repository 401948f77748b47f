/**
 * `protocol:` and `policies:` -> ProtocolSpec and PoliciesSpec. One timeout
 * applies to every cross-border transaction unless `timeouts` names one;
 * retries back off by `factor` from `backoff`, spread by `jitter` (0..1).
 * Timeouts must be > 0. The circuit breaker and abuse detection are switched
 * on by writing their section (`circuitBreaker: { failures: 5 }`, or `true`);
 * `enabled: false` inside (or `false`) switches them off again. Consent
 * propagation keeps both its push and poll settings whichever is chosen, so a
 * `--set` can flip `propagation` without touching the rest.
 */
import { isMap, isScalar } from 'yaml';
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
import { durationDistribution } from './distributions.ts';
import { isNull, type Entry, type Reader } from './reader.ts';
import { shares } from './shares.ts';

/** Every ResponderTransaction once (a Record so the compiler checks it is complete). */
const RESPONDER: Readonly<Record<ResponderTransaction, true>> = { xcpd: true, xcaQuery: true, xcaRetrieve: true, xdrSubmit: true };
const TRANSACTIONS = Object.keys(RESPONDER) as ResponderTransaction[];

const POLICY_KEYS = [
  'timeout',
  'timeouts',
  'retries',
  'circuitBreaker',
  'cache',
  'walletFallback',
  'breakGlass',
  'encryption',
  'consent',
  'dataMinimisation',
  'abuseDetection',
];
const PROPAGATION = ['push', 'poll'] as const;

export function readProtocol(ctx: Context, e: Entry | undefined): ProtocolSpec {
  const f = e && ctx.r.fields(e.value, e.path, ['identification']);
  return { identification: shares(ctx.r, f?.get('identification'), DEFAULT_IDENTIFICATION, 'probability') };
}

export function readPolicies(ctx: Context, e: Entry | undefined): PoliciesSpec {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, POLICY_KEYS);
  const get = (k: string): Entry | undefined => f?.get(k);
  const flag = (k: string, fallback: boolean): boolean => {
    const x = get(k);
    return (x && r.boolean(x.value, x.path)) ?? fallback;
  };
  return {
    timeoutMs: timeouts(r, get('timeout'), get('timeouts')),
    retries: retries(r, get('retries')),
    circuitBreaker: circuitBreaker(r, get('circuitBreaker')),
    cacheTtlMs: cacheTtl(r, get('cache')),
    walletFallback: flag('walletFallback', DEFAULT_WALLET_FALLBACK),
    breakGlass: flag('breakGlass', DEFAULT_BREAK_GLASS),
    encryption: encryption(ctx, get('encryption')),
    consent: consent(ctx, get('consent')),
    dataMinimisation: flag('dataMinimisation', DEFAULT_DATA_MINIMISATION),
    abuseDetection: abuseDetection(r, get('abuseDetection')),
  };
}

function timeouts(r: Reader, t: Entry | undefined, ts: Entry | undefined): PoliciesSpec['timeoutMs'] {
  const timeout = (t && r.duration(t.value, t.path, true)) ?? parseDuration(DEFAULT_TIMEOUT);
  const per = ts && r.fields(ts.value, ts.path, TRANSACTIONS);
  const out = {} as Record<ResponderTransaction, number>;
  for (const k of TRANSACTIONS) {
    const x = per?.get(k);
    out[k] = (x && r.duration(x.value, x.path, true)) ?? timeout;
  }
  return out;
}

function retries(r: Reader, e: Entry | undefined): PoliciesSpec['retries'] {
  const f = e && r.fields(e.value, e.path, ['max', 'backoff', 'factor', 'jitter']);
  const max = f?.get('max');
  const backoff = f?.get('backoff');
  const factor = f?.get('factor');
  const jitter = f?.get('jitter');
  return {
    max: (max && r.integer(max.value, max.path, 0)) ?? DEFAULT_RETRIES.max,
    backoffMs: (backoff && r.duration(backoff.value, backoff.path, false)) ?? parseDuration(DEFAULT_RETRIES.backoff),
    factor: (factor && r.number(factor.value, factor.path, { min: 1 })) ?? DEFAULT_RETRIES.factor,
    jitter: (jitter && r.number(jitter.value, jitter.path, { min: 0, max: 1 }, 'a spread from 0 to 1 (0.1 = each wait varies by up to 10 %)')) ?? DEFAULT_RETRY_JITTER,
  };
}

/**
 * A section that switches a feature on by being written: `name: { ... }` or
 * `name:` (on, with defaults), `name: true | false`, and `enabled:` inside.
 * Absent, the feature is off.
 */
function toggled(r: Reader, e: Entry | undefined, keys: readonly string[], example: string): { enabled: boolean; f: Map<string, Entry> | undefined } {
  if (e === undefined) return { enabled: false, f: undefined };
  const v = e.value;
  if (isScalar(v) && typeof v.value === 'boolean') return { enabled: v.value, f: undefined };
  if (!isNull(v) && !isMap(v)) {
    r.wrongType(v, e.path, `a mapping such as ${example}, or true / false`);
    return { enabled: false, f: undefined };
  }
  const f = r.fields(v, e.path, ['enabled', ...keys]);
  const en = f?.get('enabled');
  return { enabled: (en && r.boolean(en.value, en.path)) ?? true, f };
}

function circuitBreaker(r: Reader, e: Entry | undefined): PoliciesSpec['circuitBreaker'] {
  const { enabled, f } = toggled(r, e, ['failures', 'open'], '{ failures: 5, open: 60s }');
  const failures = f?.get('failures');
  const open = f?.get('open');
  return {
    enabled: e === undefined ? DEFAULT_CIRCUIT_BREAKER.enabled : enabled,
    failures: (failures && r.integer(failures.value, failures.path, 1)) ?? DEFAULT_CIRCUIT_BREAKER.failures,
    openMs: (open && r.duration(open.value, open.path, true)) ?? parseDuration(DEFAULT_CIRCUIT_BREAKER.open),
  };
}

function abuseDetection(r: Reader, e: Entry | undefined): PoliciesSpec['abuseDetection'] {
  const { enabled, f } = toggled(r, e, ['perPatient', 'perPointOfCare', 'window'], '{ perPatient: 100, window: 900s }');
  const patient = f?.get('perPatient');
  const poc = f?.get('perPointOfCare');
  const win = f?.get('window');
  return {
    enabled: e === undefined ? DEFAULT_ABUSE_DETECTION.enabled : enabled,
    perPatientThreshold: (patient && r.integer(patient.value, patient.path, 1)) ?? DEFAULT_ABUSE_DETECTION.perPatientThreshold,
    perPointOfCareThreshold: (poc && r.integer(poc.value, poc.path, 1)) ?? DEFAULT_ABUSE_DETECTION.perPointOfCareThreshold,
    windowMs: (win && r.duration(win.value, win.path, true)) ?? parseDuration(DEFAULT_ABUSE_DETECTION.window),
  };
}

/** `cache: { ttl: 24h }`: how long B reuses a retrieved Patient Summary (0 = not at all). */
function cacheTtl(r: Reader, e: Entry | undefined): number {
  const f = e && r.fields(e.value, e.path, ['ttl'], ['ttl']);
  const ttl = f?.get('ttl');
  return (ttl && r.duration(ttl.value, ttl.path, false)) ?? parseDuration(DEFAULT_CACHE_TTL);
}

function encryption(ctx: Context, e: Entry | undefined): PoliciesSpec['encryption'] {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, ['endToEnd', 'costPerMessage']);
  const on = f?.get('endToEnd');
  const cost = f?.get('costPerMessage');
  return {
    endToEnd: (on && r.boolean(on.value, on.path)) ?? DEFAULT_ENCRYPTION.endToEnd,
    costPerMessage: (cost && durationDistribution(r, cost.value, cost.path)) ?? parseDistribution(DEFAULT_ENCRYPTION.costPerMessage, 'duration'),
  };
}

function consent(ctx: Context, e: Entry | undefined): PoliciesSpec['consent'] {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, ['propagation', 'pushDelay', 'pollInterval']);
  const how = f?.get('propagation');
  const delay = f?.get('pushDelay');
  const poll = f?.get('pollInterval');
  return {
    propagation: (how && r.oneOf(how.value, how.path, PROPAGATION)) ?? DEFAULT_CONSENT_PROPAGATION.propagation,
    pushDelay: (delay && durationDistribution(r, delay.value, delay.path)) ?? parseDistribution(DEFAULT_CONSENT_PROPAGATION.pushDelay, 'duration'),
    pollIntervalMs: (poll && r.duration(poll.value, poll.path, true)) ?? parseDuration(DEFAULT_CONSENT_PROPAGATION.pollInterval),
  };
}
