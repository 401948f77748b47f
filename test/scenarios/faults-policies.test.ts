// The scenario language's faults, policies, thresholds, cohort IoT and
// revocations: every key resolves to the ScenarioSpec (units, defaults, link
// pairs sorted, fault ids), --set reaches them, and mistakes are reported
// with positions. The malformed corpus (files 40 and on) covers one mistake
// per file; malformed.test.ts checks their exact lines, this file checks the
// corpus covers every kind of mistake asked for.
import { parseThreshold, ThresholdError } from '../../reports/thresholds.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText, type LoadOptions } from '../../scenarios/load.ts';
import type { FaultSpec, ScenarioSpec } from '../../scenarios/spec.ts';
import { issuesOfText as issuesOf } from '../helpers/scenario-issues.ts';

const BASE = `
name: faults-policies
description: Every new key.
duration: 3d
countries:
  FR: { pharmacies: { count: 4 }, hospitals: { count: 2 } }
  DE: {}
`;

const FULL = `${BASE}
population:
  - name: tourists
    count: 100
    home: DE
    destination: FR
    revocations: 0.05
    iot:
      devices:
        cgm: { share: 0.6, interval: 5min, buffer: 2016, defaultPassword: 0.1 }
        bpMonitor: { share: 0.3 }
        wearable: 0.25
      offline: 0.3
      offlineSpell: 6h
      alertsPerDay: 0.02
      alertEmergencyShare: 0.4
policies:
  timeout: 180s
  timeouts: { xcpd: 60s }
  retries: { max: 3, backoff: 1h, factor: 2, jitter: 0.1 }
  circuitBreaker: { failures: 5, open: 60s }
  cache: { ttl: 24h }
  walletFallback: true
  breakGlass: true
  encryption: { endToEnd: true, costPerMessage: lognormal(3ms, 0.3) }
  consent: { propagation: poll, pollInterval: 24h }
  dataMinimisation: true
  abuseDetection: { perPatient: 50, perPointOfCare: 200, window: 900s }
faults:
  - id: fr-ncp-down
    kind: outage
    target: ncp.FR
    at: 1d10h
    for: 6h
  - kind: degraded
    target: pharmacy.FR.*
    at: 1d
    for: 2h
    every: 12h
    factor: 3
    errorRate: 0.2
  - kind: partition
    target: link FR-DE
    mtbf: exp(30d)
    mttr: lognormal(2h, 0.5)
  - kind: latencySpike
    target: link DE-FR
    at: 0s
    for: 1h
    every: 1d
    until: 2d
    extraLatency: lognormal(2s, 0.5)
  - kind: breach
    target: hospital.*.*
    at: 2d
    detection: lognormal(3d, 0.5)
    containment: lognormal(1d, 0.3)
  - kind: deviceCompromise
    target: device.cgm
    at: 12h
    for: 1d
    share: 0.3
  - kind: terminologyOutage
    at: 6h
    for: 30min
  - kind: certificateExpiry
    target: "ncp.DE"
    at: 2d
    for: 1h
  - kind: outage
    target: terminology
    at: 1d
    for: 1h
thresholds:
  - flows.ePrescription.latencyMs.p95 < 5000
  - "  security.recordsExposed == 0"
  - nodes.ncp.FR.availability>=0.99
`;

const MINIMAL = `${BASE}
population:
  - { name: a, count: 10, home: DE, destination: FR }
`;

function load(text: string, options?: LoadOptions): ScenarioSpec {
  return loadScenarioText(text, 'x.yaml', options);
}


/** MINIMAL plus a section (faults, thresholds or policies). */
function withSection(yaml: string): string {
  return `${MINIMAL}${yaml}\n`;
}

const H = 3_600_000;
const D = 24 * H;

describe('policies', () => {
  const p = load(FULL).policies;

  it('read every policy, in ms', () => {
    expect(p.timeoutMs).toEqual({ xcpd: 60_000, xcaQuery: 180_000, xcaRetrieve: 180_000, xdrSubmit: 180_000 });
    expect(p.retries).toEqual({ max: 3, backoffMs: H, factor: 2, jitter: 0.1 });
    expect(p.circuitBreaker).toEqual({ enabled: true, failures: 5, openMs: 60_000 });
    expect(p.cacheTtlMs).toBe(D);
    expect(p.walletFallback).toBe(true);
    expect(p.breakGlass).toBe(true);
    expect(p.encryption).toEqual({ endToEnd: true, costPerMessage: { kind: 'lognormal', median: 3, sigma: 0.3 } });
    expect(p.consent).toEqual({ propagation: 'poll', pushDelay: { kind: 'exponential', mean: 5000 }, pollIntervalMs: D });
    expect(p.dataMinimisation).toBe(true);
    expect(p.abuseDetection).toEqual({ enabled: true, perPatientThreshold: 50, perPointOfCareThreshold: 200, windowMs: 900_000 });
  });

  it('default to everything off', () => {
    const d = load(MINIMAL).policies;
    expect(d.retries).toEqual({ max: 0, backoffMs: 2000, factor: 2, jitter: 0 });
    expect(d.circuitBreaker).toEqual({ enabled: false, failures: 5, openMs: 60_000 });
    expect(d.cacheTtlMs).toBe(0);
    expect([d.walletFallback, d.breakGlass, d.dataMinimisation, d.encryption.endToEnd, d.abuseDetection.enabled]).toEqual([false, false, false, false, false]);
    expect(d.consent).toEqual({ propagation: 'push', pushDelay: { kind: 'exponential', mean: 5000 }, pollIntervalMs: H });
    expect(d.abuseDetection).toEqual({ enabled: false, perPatientThreshold: 100, perPointOfCareThreshold: 100, windowMs: 900_000 });
  });

  it('switch the circuit breaker and abuse detection on by presence, off with enabled: false or false', () => {
    const on = (y: string): [boolean, boolean] => {
      const s = load(withSection(`policies:\n${y}`)).policies;
      return [s.circuitBreaker.enabled, s.abuseDetection.enabled];
    };
    expect(on('  circuitBreaker: {}\n  abuseDetection:')).toEqual([true, true]);
    expect(on('  circuitBreaker: { enabled: false, failures: 3 }\n  abuseDetection: { enabled: false }')).toEqual([false, false]);
    expect(on('  circuitBreaker: true\n  abuseDetection: false')).toEqual([true, false]);
    expect(load(withSection('policies:\n  circuitBreaker: { failures: 3 }')).policies.circuitBreaker).toEqual({ enabled: true, failures: 3, openMs: 60_000 });
  });

  it('read push propagation with its delay, and keep both settings so a --set can flip propagation', () => {
    expect(load(withSection('policies:\n  consent: { propagation: push, pushDelay: exp(5min) }')).policies.consent.pushDelay).toEqual({ kind: 'exponential', mean: 300_000 });
    const flipped = load(FULL, { sets: ['policies.consent.propagation=push'] }).policies.consent;
    expect(flipped).toEqual({ propagation: 'push', pushDelay: { kind: 'exponential', mean: 5000 }, pollIntervalMs: D });
  });

  it('are reachable with --set', () => {
    const s = load(MINIMAL, { sets: ['policies.walletFallback=true', 'policies.circuitBreaker.open=2min', 'policies.retries.jitter=0.5', 'policies.cache.ttl=1h'] }).policies;
    expect([s.walletFallback, s.circuitBreaker.enabled, s.circuitBreaker.openMs, s.retries.jitter, s.cacheTtlMs]).toEqual([true, true, 120_000, 0.5, H]);
  });

  it('report unknown keys with a did-you-mean, and bad values', () => {
    expect(issuesOf(withSection('policies:\n  walletFalback: true\n  cache: { ttl: -1h }\n  circuitBreaker: 3'))).toEqual([
      'x.yaml:12:3: policies.walletFalback: unknown key; hint: did you mean `walletFallback`?',
      'x.yaml:13:17: policies.cache.ttl: bad duration "-1h" (expected a duration >= 0)',
      'x.yaml:14:19: policies.circuitBreaker: got the number 3 (expected a mapping such as { failures: 5, open: 60s }, or true / false)',
    ]);
    expect(issuesOf(withSection('policies:\n  cache: {}'))).toEqual(['x.yaml:12:10: policies.cache.ttl: missing required key; hint: add `ttl: ...`']);
  });
});

describe('faults', () => {
  const faults = load(FULL).faults;
  const byIndex = (i: number): FaultSpec => faults[i]!;

  it('keep their order and take `<kind>-<index>` as the default id', () => {
    expect(faults.map((f) => f.id)).toEqual([
      'fr-ncp-down',
      'degraded-1',
      'partition-2',
      'latencySpike-3',
      'breach-4',
      'deviceCompromise-5',
      'terminologyOutage-6',
      'certificateExpiry-7',
      'outage-8',
    ]);
  });

  it('read a window with compound durations', () => {
    expect(byIndex(0)).toMatchObject({ kind: 'outage', targetText: 'ncp.FR', target: { kind: 'nodes', pattern: 'ncp.FR' }, schedule: { kind: 'window', fromMs: D + 10 * H, toMs: D + 16 * H } });
  });

  it('read recurring windows until the end of the run, or until `until`', () => {
    expect(byIndex(1).schedule).toEqual({ kind: 'recurring', firstMs: D, forMs: 2 * H, everyMs: 12 * H, untilMs: 3 * D });
    expect(byIndex(3).schedule).toEqual({ kind: 'recurring', firstMs: 0, forMs: H, everyMs: D, untilMs: 2 * D });
  });

  it('read stochastic schedules as distributions', () => {
    expect(byIndex(2).schedule).toEqual({ kind: 'stochastic', mtbf: { kind: 'exponential', mean: 30 * D }, mttr: { kind: 'lognormal', median: 2 * H, sigma: 0.5 } });
  });

  it('sort link pairs, whichever way they are written', () => {
    expect(byIndex(2).target).toEqual({ kind: 'link', pair: 'DE-FR' });
    expect(byIndex(2).targetText).toBe('link FR-DE');
    expect(byIndex(3).target).toEqual({ kind: 'link', pair: 'DE-FR' });
  });

  it('read the parameters of each kind, and default the rest', () => {
    expect(byIndex(1)).toMatchObject({ latencyFactor: 3, errorRate: 0.2, target: { kind: 'nodes', pattern: 'pharmacy.FR.*' } });
    expect(byIndex(3).extraLatency).toEqual({ kind: 'lognormal', median: 2000, sigma: 0.5 });
    expect(byIndex(4).detection).toEqual({ kind: 'lognormal', median: 3 * D, sigma: 0.5 });
    expect(byIndex(4).containment).toEqual({ kind: 'lognormal', median: D, sigma: 0.3 });
    expect(byIndex(5)).toMatchObject({ target: { kind: 'devices', device: 'cgm' }, share: 0.3, schedule: { kind: 'window', fromMs: 12 * H, toMs: 36 * H } });
    const outage = byIndex(0);
    expect([outage.latencyFactor, outage.errorRate, outage.share]).toEqual([1, 0, 1]);
    expect(outage.extraLatency).toEqual({ kind: 'const', value: 2000 });
    expect(outage.detection).toEqual({ kind: 'lognormal', median: 7 * D, sigma: 0.5 });
    expect(outage.containment).toEqual({ kind: 'lognormal', median: D, sigma: 0.5 });
  });

  it('make a breach an instant at `at`: it lasts until detected and contained', () => {
    expect(byIndex(4)).toMatchObject({ kind: 'breach', target: { kind: 'nodes', pattern: 'hospital.*.*' }, schedule: { kind: 'window', fromMs: 2 * D, toMs: 2 * D } });
  });

  it('let a terminology outage leave its target out, and an outage hit the terminology service', () => {
    expect(byIndex(6)).toMatchObject({ targetText: 'terminology', target: { kind: 'terminology' }, schedule: { kind: 'window', fromMs: 6 * H, toMs: 6 * H + 1_800_000 } });
    expect(byIndex(7).target).toEqual({ kind: 'nodes', pattern: 'ncp.DE' });
    expect(byIndex(8).target).toEqual({ kind: 'terminology' });
  });

  it('default to none, also for an empty `faults:`', () => {
    expect(load(MINIMAL).faults).toEqual([]);
    expect(load(withSection('faults:')).faults).toEqual([]);
    expect(load(withSection('faults: []\nthresholds: []')).thresholds).toEqual([]);
  });

  it('are reachable with --set', () => {
    const s = load(FULL, { sets: ['faults[0].at=2d', 'faults[1].target=pharmacy.FR.2'] });
    expect(s.faults[0]!.schedule).toEqual({ kind: 'window', fromMs: 2 * D, toMs: 2 * D + 6 * H });
    expect(s.faults[1]!.target).toEqual({ kind: 'nodes', pattern: 'pharmacy.FR.2' });
    expect(issuesOf(FULL, { sets: ['faults[0].at=5d'] })).toEqual([
      '--set:1:14: faults[0].at: window past the end: the fault starts at 5d, the run lasts 3d (expected a time before 3d); hint: start the fault earlier, or make `duration` longer',
    ]);
  });

  it('accept `*` within a part of a node id, as the fault installer matches it', () => {
    const s = load(withSection('faults:\n  - { kind: outage, target: pharmacy.FR.*, at: 1d, for: 1h }\n  - { kind: outage, target: "*.FR.1", at: 1d, for: 1h }\n  - { kind: outage, target: ncp.*, at: 1d, for: 1h }\n  - { kind: outage, target: pharmacy.F*.3, at: 1d, for: 1h }'));
    expect(s.faults.map((f) => f.target)).toEqual([
      { kind: 'nodes', pattern: 'pharmacy.FR.*' },
      { kind: 'nodes', pattern: '*.FR.1' },
      { kind: 'nodes', pattern: 'ncp.*' },
      { kind: 'nodes', pattern: 'pharmacy.F*.3' },
    ]);
  });

  it('explain why a target matches no node, at the part that is wrong', () => {
    const f = (target: string): string => withSection(`faults:\n  - { kind: outage, target: ${target}, at: 1d, for: 1h }`);
    const hintOf = (target: string): string => {
      const [line] = issuesOf(f(target));
      return line ?? '';
    };
    expect(hintOf('pharmacy.FR.4')).toContain(':12:41: faults[0].target: target matches no node');
    expect(hintOf('pharmacy.FR.4')).toContain('hint: FR has 4 pharmacies: pharmacy.FR.0 to pharmacy.FR.3');
    expect(hintOf('pharmacy.DE')).toContain('hint: did you mean `pharmacy.DE.*`?');
    expect(hintOf('ncp.SE')).toContain('hint: country `SE` is not declared; declare it under countries: `SE: {}`');
    expect(hintOf('ncp.FR.0')).toContain('hint: an NCP id has no number: `ncp.FR`');
    expect(hintOf('hopsital.FR.0')).toContain('hint: did you mean `hospital.FR.0`?');
    expect(hintOf('FR')).toContain('hint: the NCP of FR is `ncp.FR`');
    expect(hintOf('FR-DE')).toContain('`FR-DE` is not a target');
    expect(hintOf('FR-DE')).toContain('hint: write a link as `link FR-DE`');
  });

  it('report every schedule mistake', () => {
    const issues = issuesOf(
      withSection(`faults:
  - { kind: outage, target: ncp.FR, at: 1d, mttr: 1h }
  - { kind: outage, target: ncp.FR, at: 1d }
  - { kind: outage, target: ncp.FR, for: 1h, at: 0d, every: 30min }
  - { kind: outage, target: ncp.FR, at: 1d, for: 1h, until: 2d }
  - { kind: outage, target: ncp.FR, mtbf: 0ms, mttr: 1h }
  - { kind: breach, target: ncp.FR, at: 1d, mtbf: exp(1d) }
  - { kind: outage, target: ncp.FR }`),
    );
    expect(issues).toEqual([
      'x.yaml:12:45: faults[0].mttr: mixed schedules: `at` (a timetable) and `mttr` (at random); hint: a fault follows either `at`/`for`/`every` or `mtbf`/`mttr`; keep one',
      'x.yaml:13:5: faults[1].for: missing required key; hint: add `for: ...`: how long the fault lasts',
      'x.yaml:14:61: faults[2].every: every 30min is shorter than for 1h: the windows would overlap (expected `every` >= `for`)',
      'x.yaml:15:54: faults[3].until: `until` applies to recurring faults only; hint: add `every: ...`, or remove `until`',
      'x.yaml:16:43: faults[4].mtbf: the distribution 0ms has a mean of 0 (expected a distribution with a mean > 0, such as exp(30d))',
      'x.yaml:17:45: faults[5].mtbf: `mtbf` does not apply to breach faults; hint: a breach starts once, at `at`, and lasts until it is detected and contained (`detection`, `containment`)',
      'x.yaml:18:5: faults[6]: no schedule (expected `at` and `for` (one window), plus `every` (recurring), or `mtbf` and `mttr` (at random)); hint: add `at: 1d` and `for: 6h`',
    ]);
  });

  it('report a target kind the fault kind does not take, naming what it takes', () => {
    expect(issuesOf(withSection('faults:\n  - { kind: degraded, target: link DE-FR, at: 1d, for: 1h, factor: 2 }\n  - { kind: outage, target: device.cgm, at: 1d, for: 1h }'))).toEqual([
      'x.yaml:12:31: faults[0].target: a degraded fault cannot target a link (expected a node id or pattern such as `ncp.FR` or `pharmacy.FR.*`); hint: to slow a link down, use kind: latencySpike',
      'x.yaml:13:29: faults[1].target: an outage fault cannot target devices (expected a node id or pattern such as `ncp.FR` or `pharmacy.FR.*`, a link such as `link FR-DE` or `terminology`); hint: devices are taken over with kind: deviceCompromise',
    ]);
  });

  it('report a default id that collides with a written one', () => {
    expect(issuesOf(withSection('faults:\n  - { id: outage-1, kind: outage, target: ncp.FR, at: 1d, for: 1h }\n  - { kind: outage, target: ncp.DE, at: 1d, for: 1h }'))).toEqual([
      'x.yaml:13:5: faults[1].id: duplicate fault id `outage-1` (first at line 12); hint: give each fault its own `id`',
    ]);
  });
});

describe('thresholds', () => {
  it('keep the expressions in order, trimmed', () => {
    expect(load(FULL).thresholds).toEqual(['flows.ePrescription.latencyMs.p95 < 5000', 'security.recordsExposed == 0', 'nodes.ncp.FR.availability>=0.99']);
  });

  it('report a malformed expression at its column within the string (quotes counted)', () => {
    expect(
      issuesOf(withSection('thresholds:\n  - "flows.x.p(95) < 3"\n  - a.b <> 1\n  - a.b < c\n  - a.b == 1 and a.c < 2\n  - { a: 1 }')),
    ).toEqual([
      'x.yaml:12:15: thresholds[0]: bad threshold "flows.x.p(95) < 3" (expected a "." or an operator); hint: k6\'s p(...) is written as a path here, e.g. latencyMs.p95 for p(95)',
      'x.yaml:13:9: thresholds[1]: bad threshold "a.b <> 1" (expected one of < <= > >= == !=); hint: write != (not equal)',
      'x.yaml:14:11: thresholds[2]: bad threshold "a.b < c" (expected a number); hint: compare with a number; a threshold cannot compare two metrics',
      'x.yaml:15:14: thresholds[3]: bad threshold "a.b == 1 and a.c < 2" (expected the end of the threshold); hint: one condition per threshold: write several thresholds instead',
      'x.yaml:16:5: thresholds[4]: got a mapping (expected a threshold `<report path> <operator> <number>` such as `flows.ePrescription.latencyMs.p95 < 5000`)',
    ]);
  });

  it('reject at load what evaluation would reject: the loader and reports/ read the same form', () => {
    // "1." and a leading blank before the path: one reader, one verdict, the column past the blanks.
    expect(issuesOf(withSection('thresholds:\n  - "  a.b < 1."'))).toEqual([
      'x.yaml:12:15: thresholds[0]: bad threshold "a.b < 1." (expected the end of the threshold)',
    ]);
    expect(() => parseThreshold('security.auditGaps < 1.')).toThrow(ThresholdError);
  });
});

describe('cohort IoT and revocations', () => {
  const c = load(FULL).population[0]!;

  it('read devices partially, the rest from the defaults', () => {
    expect(c.iot.devices).toEqual({
      cgm: { share: 0.6, intervalMs: 300_000, bufferReadings: 2016, defaultPassword: 0.1 },
      bpMonitor: { share: 0.3, intervalMs: 12 * H, bufferReadings: 60, defaultPassword: 0.3 },
      wearable: { share: 0.25, intervalMs: 900_000, bufferReadings: 672, defaultPassword: 0.2 },
    });
    expect(c.iot).toMatchObject({ offlineShare: 0.3, offlineSpellMs: 6 * H, alertsPerDay: 0.02, alertEmergencyShare: 0.4 });
  });

  it('read revocations as the share who revoke consent', () => {
    expect(c.consentChanges).toEqual({ revokeShare: 0.05 });
    expect(load(MINIMAL).population[0]!.consentChanges).toEqual({ revokeShare: 0 });
  });

  it('default every device and the connectivity', () => {
    const d = load(MINIMAL).population[0]!.iot;
    expect(d.devices.cgm).toEqual({ share: 0.5, intervalMs: 300_000, bufferReadings: 2016, defaultPassword: 0.1 });
    expect(d).toMatchObject({ offlineShare: 0.2, offlineSpellMs: 6 * H, alertsPerDay: 0.02, alertEmergencyShare: 0.3 });
  });

  it('report an unknown device kind with a did-you-mean, and bad device values', () => {
    const text = `${BASE}
population:
  - name: a
    count: 1
    home: DE
    destination: FR
    iot:
      devices: { wearables: { share: 0.2 }, cgm: { interval: 0s, buffer: 1.5 } }
      offline: 30
`;
    expect(issuesOf(text)).toEqual([
      'x.yaml:15:18: population[0].iot.devices.wearables: unknown key; hint: did you mean `wearable`?',
      'x.yaml:15:62: population[0].iot.devices.cgm.interval: the duration 0s is zero (expected a duration > 0)',
      'x.yaml:15:74: population[0].iot.devices.cgm.buffer: 1.5 is not a whole number (expected a whole number >= 0); hint: write 2',
      'x.yaml:16:16: population[0].iot.offline: 30 is not a probability (expected a probability from 0 to 1); hint: a share is a fraction: for 30 %, write 0.3',
    ]);
  });
});

describe('the spec', () => {
  it('stays plain, frozen, JSON data', () => {
    const s = load(FULL);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(Object.isFrozen(s.faults[0]!.schedule)).toBe(true);
    expect(Object.isFrozen(s.thresholds)).toBe(true);
  });
});

describe('the malformed corpus for faults and policies', () => {
  const dir = join(import.meta.dirname, 'malformed');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && Number(f.slice(0, 2)) >= 40)
    .sort();
  const expects = (f: string): string =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('# expect: '))
      .join('\n');

  it('has at least ten cases from 40 on', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  const cases: [string, RegExp][] = [
    ['unknown target', /target matches no node .*did you mean `ncp\.FR`/],
    ['window past the end', /window past the end/],
    ['negative duration', /faults\[0\]\.for: bad duration "-2h"/],
    ['wrong target kind for the fault kind', /a partition fault cannot target a node \(expected a link/],
    ['mixed schedules', /mixed schedules/],
    ['bad errorRate', /errorRate: 20 is not a probability/],
    ['duplicate fault id', /duplicate fault id `fr-down`/],
    ['bad threshold operator', /bad threshold "security\.recordsExposed = 0" \(expected one of < <= > >= == !=\)/],
    ['unknown policy key with did-you-mean', /policies\.circuitBraker: unknown key; hint: did you mean `circuitBreaker`\?/],
    ['bad iot device kind', /iot\.devices\.cgms: unknown key; hint: did you mean `cgm`\?/],
  ];
  for (const [what, pattern] of cases) {
    it(`covers: ${what}`, () => {
      expect(files.some((f) => pattern.test(expects(f)))).toBe(true);
    });
  }
});
