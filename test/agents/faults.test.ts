// Known answers for faults and policies: each scenario is built so that the
// right outcome follows from the rules (which attempts fall in a window, what
// a retry schedule recovers, what encryption hides), and each assertion could
// fail if a fault leaked outside its window or a policy did nothing.
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../agents/replication.ts';
import type { AttemptRecord } from '../../agents/observer.ts';
import type { ReplicationResult } from '../../agents/result.ts';
import { loadScenarioText } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';

const H = 3_600_000;

/** German tourists in France (what-if: DE as A, FR as B), busy enough that every hour sees attempts. */
function scenario(extra: string, population = '', sets: readonly string[] = []): ScenarioSpec {
  return loadScenarioText(
    `
name: fault-test
description: test
seed: 11
duration: 2d
replications: 1
start: 2026-08-01
countries:
  DE:
    services: { patientSummary: { asA: true }, ePrescription: { asA: true } }
    transcodingErrorRate: 0
  FR:
    services: { patientSummary: { asB: true }, ePrescription: { asB: true } }
    pharmacies: { count: 20, staff: 50 }
    hospitals: { count: 5, staff: 50 }
protocol:
  identification: { nationalId: 1, ehic: 1, eudiWallet: 1 }
population:
  - name: tourists
    count: 6000
    home: DE
    destination: FR
    arrival: uniform(0h, 24h)
    stay: uniform(1d, 2d)
    age: triangular(40, 70, 90)
    refills: 1
    emergencies: 0.3
${population}
${extra}
`,
    'fault-test.yaml',
    { sets },
  );
}

function attempts(spec: ScenarioSpec): { result: ReplicationResult; attempts: AttemptRecord[] } {
  const list: AttemptRecord[] = [];
  const result = runReplication(spec, 0, { observer: { attempt: (a) => list.push(a) } });
  return { result, attempts: list.filter((a) => a.flow === 'ePrescription' || a.flow === 'patientSummary') };
}

const CONN = 'ERROR_GENERIC_CONNECTION_NOT_POSSIBLE';
const window = `
faults:
  - id: fr-down
    kind: outage
    target: ncp.FR
    at: 10h
    for: 6h
`;

describe('outage of NCP-FR 10:00-16:00', () => {
  it('without fallback: exactly the attempts in the window fail with connection not possible', () => {
    const { attempts: all } = attempts(scenario(window));
    const inWindow = all.filter((a) => a.startMs >= 10 * H && a.startMs < 16 * H);
    const outside = all.filter((a) => a.startMs < 10 * H - 60_000 || a.startMs >= 16 * H);
    expect(inWindow.length).toBeGreaterThan(100);
    expect(outside.length).toBeGreaterThan(100);
    expect(inWindow.every((a) => a.reason === CONN)).toBe(true);
    expect(outside.some((a) => a.reason === CONN)).toBe(false);
  });

  it('with retries (max 2, backoff 1h x2): attempts recover when a retry lands after 16:00', () => {
    const { attempts: all } = attempts(scenario(`${window}\npolicies:\n  retries: { max: 2, backoff: 1h, factor: 2 }\n`));
    // Retries come 1 h and 3 h after the first try: only starts before 13:00 see every try fail.
    const early = all.filter((a) => a.startMs >= 10 * H && a.startMs < 13 * H - 60_000);
    const late = all.filter((a) => a.startMs >= 13 * H + 60_000 && a.startMs < 16 * H);
    expect(early.length).toBeGreaterThan(30);
    expect(late.length).toBeGreaterThan(30);
    expect(early.every((a) => a.reason === CONN)).toBe(true);
    // (some fail for their own reasons, e.g. German phenprocoumon is not dispensable in France)
    expect(late.every((a) => a.reason !== CONN)).toBe(true);
    expect(late.filter((a) => a.reason === null).length).toBeGreaterThan(30);
    expect(late.every((a) => a.endMs >= 16 * H)).toBe(true);
  });

  it('node availability reports the downtime', () => {
    const { result } = attempts(scenario(window));
    expect(result.nodes['ncp.FR']!.availability).toBeCloseTo(1 - 6 / 48, 9);
    expect(result.nodes['ncp.DE']!.availability).toBe(1);
    expect(result.faults['fr-down']).toEqual({ kind: 'outage', target: 'ncp.FR', windows: 1, activeMs: 6 * H });
  });

  it('with the wallet fallback, patients carrying the wallet are still treated with a summary', () => {
    const { result } = attempts(scenario(`${window}\npolicies:\n  walletFallback: true\n`, '    identity: { nationalId: 1, ehic: 1, eudiWallet: 1 }'));
    const ps = result.flows.patientSummary;
    expect(ps.outcomes['treatedWithWalletSummary']).toBeGreaterThan(10);
    expect(ps.outcomes['treatedWithoutSummary'] ?? 0).toBe(0);
  });
});

describe('other fault kinds', () => {
  it('degraded with errorRate 1: every attempt reaching NCP-DE in the window fails with InternalError, none outside', () => {
    const { attempts: all } = attempts(scenario(`faults:\n  - { kind: degraded, target: ncp.DE, at: 10h, for: 6h, factor: 2, errorRate: 1 }\n`));
    const failed = all.filter((a) => a.reason === 'InternalError');
    expect(failed.length).toBeGreaterThan(100);
    expect(failed.every((a) => a.endMs >= 10 * H && a.startMs < 16 * H)).toBe(true);
    expect(all.filter((a) => a.startMs > 16 * H + 60_000 || a.endMs < 10 * H).some((a) => a.reason === 'InternalError')).toBe(false);
  });

  it('degraded latency x3 triples A-side service time in the window', () => {
    const base = runReplication(scenario(''), 0).flows.ePrescription.steps.xcpd!;
    const slow = runReplication(scenario(`faults:\n  - { kind: degraded, target: ncp.DE, at: 0h, for: 2d, factor: 3 }\n`), 0).flows.ePrescription.steps.xcpd!;
    const mean = (e: { sum: number; count: number }): number => e.sum / e.count;
    // xcpd = ~50 ms of network and B-side work plus ~375 ms at A: x3 at A gives ~2.8x overall
    expect(mean(slow.latency) / mean(base.latency)).toBeGreaterThan(2.5);
    expect(mean(slow.latency) / mean(base.latency)).toBeLessThan(3);
  });

  it('partition of DE-FR fails transport in the window only', () => {
    const { attempts: all } = attempts(scenario(`faults:\n  - { kind: partition, target: link DE-FR, at: 10h, for: 6h }\n`));
    const failed = all.filter((a) => a.reason === CONN);
    expect(failed.length).toBeGreaterThan(100);
    expect(failed.every((a) => a.endMs >= 10 * H && a.startMs < 16 * H)).toBe(true);
  });

  it('a latency spike on DE-FR adds its latency to each crossing', () => {
    const base = runReplication(scenario(''), 0).flows.patientSummary.steps.xcpd!;
    const spiked = runReplication(scenario(`faults:\n  - { kind: latencySpike, target: link DE-FR, at: 0h, for: 2d, extraLatency: 2s }\n`), 0).flows.patientSummary.steps.xcpd!;
    const extra = spiked.latency.sum / spiked.latency.count - base.latency.sum / base.latency.count;
    expect(extra).toBeGreaterThan(3990); // two crossings of +2 s
    expect(extra).toBeLessThan(4010);
  });

  it('an expired certificate at NCP-DE fails the handshakes in the window', () => {
    const { attempts: all } = attempts(scenario(`faults:\n  - { kind: certificateExpiry, target: ncp.DE, at: 10h, for: 6h }\n`));
    const failed = all.filter((a) => a.reason === 'TLS_HANDSHAKE_FAILED');
    expect(failed.length).toBeGreaterThan(100);
    expect(failed.every((a) => a.endMs >= 10 * H && a.startMs < 16 * H)).toBe(true);
  });

  it('a terminology outage is a warning, not a failure', () => {
    const r = runReplication(scenario(`faults:\n  - { kind: terminologyOutage, at: 0h, for: 2d }\n`), 0);
    const ps = r.flows.patientSummary;
    expect(ps.failed).toBe(0);
    expect(ps.warnings['WARNING_PS_MISSING_EXPECTED_TRANSLATION']).toBe(ps.succeeded);
  });
});

describe('breaches', () => {
  const breach = (target: string): string => `faults:\n  - { kind: breach, target: ${target}, at: 6h, detection: 12h, containment: 6h }\n`;

  it('a breached relay (NCP-FR) exposes the patients whose data passes, unless encrypted end to end', () => {
    const open = runReplication(scenario(breach('ncp.FR')), 0).security;
    const e2e = runReplication(scenario(`${breach('ncp.FR')}policies:\n  encryption: { endToEnd: true }\n`), 0).security;
    expect(open.recordsExposed).toBeGreaterThan(100);
    expect(e2e.recordsExposed).toBe(0);
    expect(open.exposureWindow.count).toBe(1);
    expect(open.exposureWindow.max).toBe(18 * H);
  });

  it('a breached pharmacy exposes the records resting there, encryption or not', () => {
    const r = runReplication(scenario(`${breach('pharmacy.FR.*')}policies:\n  encryption: { endToEnd: true }\n`), 0);
    expect(r.security.recordsExposed).toBeGreaterThan(100);
  });
});

describe('consent revocation', () => {
  const revoking = '    revocations: 0.5';
  it('push propagation: no consent violations; slow polling: some', () => {
    const push = runReplication(scenario(`policies:\n  consent: { propagation: push, pushDelay: 1s }\n`, revoking), 0);
    const poll = runReplication(scenario(`policies:\n  consent: { propagation: poll, pollInterval: 24h }\n`, revoking), 0);
    expect(push.flows.consentChange.attempts).toBeGreaterThan(1000);
    expect(push.security.consentViolations).toBe(0);
    expect(poll.security.consentViolations).toBeGreaterThan(0);
    expect(poll.security.revocationLag.max).toBeLessThanOrEqual(24 * H);
    expect(push.security.revocationLag.max).toBe(1000);
  });

  it('break-glass lets emergencies through without consent, and counts them', () => {
    const r = runReplication(scenario(`policies:\n  breakGlass: true\n`, '    consent: 0'), 0);
    expect(r.flows.patientSummary.failed).toBe(0);
    expect(r.security.breakGlassAccesses).toBe(r.flows.patientSummary.succeeded);
    expect(r.flows.ePrescription.failureReasons['ERROR_NO_CONSENT']).toBe(r.flows.ePrescription.attempts);
  });
});

describe('determinism with faults on', () => {
  it('the same seed gives the same result', () => {
    const spec = scenario(`${window}  - { kind: degraded, target: ncp.DE, mtbf: exp(6h), mttr: exp(1h), errorRate: 0.3 }\npolicies:\n  retries: { max: 2, backoff: 10s, factor: 2, jitter: 0.5 }\n`);
    expect(JSON.stringify(runReplication(spec, 0))).toBe(JSON.stringify(runReplication(spec, 0)));
  });
});

describe('schedules', () => {
  it('recurring windows open every period for their length', () => {
    const r = runReplication(scenario(`faults:\n  - { id: nightly, kind: outage, target: ncp.DE, at: 2h, for: 1h, every: 12h }\n`), 0);
    expect(r.faults['nightly']).toEqual({ kind: 'outage', target: 'ncp.DE', windows: 4, activeMs: 4 * H });
    expect(r.nodes['ncp.DE']!.availability).toBeCloseTo(1 - 4 / 48, 9);
  });

  it('stochastic windows (MTBF/MTTR) come from the fault stream alone: adding another fault does not move them', () => {
    const flaky = `  - { id: flaky, kind: degraded, target: ncp.DE, mtbf: exp(6h), mttr: exp(1h), factor: 2 }\n`;
    const alone = runReplication(scenario(`faults:\n${flaky}`), 0).faults['flaky']!;
    const withOther = runReplication(scenario(`faults:\n  - { kind: latencySpike, target: link DE-FR, at: 1h, for: 1h }\n${flaky}`), 0).faults['flaky']!;
    expect(alone.windows).toBeGreaterThan(2);
    expect(withOther).toEqual(alone);
  });
});

describe('policies', () => {
  it('a circuit breaker fails fast once A is unreachable, and closes again after the outage', () => {
    const spec = scenario(`faults:\n  - { kind: outage, target: ncp.DE, at: 10h, for: 6h }\npolicies:\n  circuitBreaker: { failures: 3, open: 30min }\n`);
    const { attempts: all } = attempts(spec);
    const fast = all.filter((a) => a.reason === 'CIRCUIT_OPEN');
    expect(fast.length).toBeGreaterThan(50);
    expect(fast.every((a) => a.startMs >= 10 * H && a.startMs < 16 * H + 30 * 60_000)).toBe(true);
    expect(all.filter((a) => a.startMs > 17 * H).every((a) => a.reason !== 'CIRCUIT_OPEN' && a.reason !== CONN)).toBe(true);
  });

  it('a Patient Summary cache at B serves repeat emergencies without a cross-border retrieval', () => {
    const busy = ['population[0].emergencies=3'];
    const none = runReplication(scenario('', '', busy), 0).flows.patientSummary;
    const cached = runReplication(scenario(`policies:\n  cache: { ttl: 2d }\n`, '', busy), 0).flows.patientSummary;
    expect(cached.outcomes['treatedWithCachedSummary']).toBeGreaterThan(100);
    expect(cached.steps.xcpd!.count).toBeLessThan(none.steps.xcpd!.count);
    expect(cached.steps.xcpd!.count + (cached.outcomes['treatedWithCachedSummary'] ?? 0)).toBe(cached.attempts);
  });

  it('abuse detection counts requests over the per-point-of-care threshold, and nothing when off', () => {
    const on = runReplication(scenario(`policies:\n  abuseDetection: { perPatient: 100, perPointOfCare: 3, window: 1h }\n`), 0);
    const off = runReplication(scenario(''), 0);
    expect(on.security.abuseAlerts).toBeGreaterThan(0);
    expect(off.security.abuseAlerts).toBe(0);
    // detection observes; it never changes what happens
    expect(on.flows.ePrescription.succeeded).toBe(off.flows.ePrescription.succeeded);
  });

  it('end-to-end encryption costs time per message', () => {
    const plain = runReplication(scenario(''), 0).flows.ePrescription.steps.xcpd!.latency;
    const e2e = runReplication(scenario(`policies:\n  encryption: { endToEnd: true, costPerMessage: 20ms }\n`), 0).flows.ePrescription.steps.xcpd!.latency;
    const extra = e2e.sum / e2e.count - plain.sum / plain.count;
    expect(extra).toBeGreaterThan(39);
    expect(extra).toBeLessThan(41);
  });
});
