// Known-answer scenarios for the MyHealth@EU flows: each one sets the world up
// so the right answer follows from the rules, and checks that the simulator
// reaches it (not a snapshot of what it happened to print).
import { describe, expect, it } from 'vitest';
import { mean } from '../../engine/index.ts';
import { runReplication } from '../../agents/replication.ts';
import { aggregate } from '../../reports/aggregate.ts';
import type { Report } from '../../reports/report.ts';
import { loadScenarioText } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';

function run(spec: ScenarioSpec): Report {
  const results = Array.from({ length: spec.replications }, (_, i) => runReplication(spec, i));
  const run = { scenarioFile: 'test', workers: 1, startedAt: '', wallMs: 0, events: 0, eventsPerSec: 0, partial: false, replicationsDone: results.length };
  return aggregate(
    { scenario: spec.name, description: '', seed: spec.seed, durationMs: spec.durationMs, startDate: spec.startDate, version: 'test', deterministic: true, specHash: '', policies: null, assumptions: {} },
    run,
    results,
  );
}

const base = (extra: string): string => `
name: known-answer
description: test
seed: 5
duration: 10d
replications: 2
start: 2026-07-01
${extra}
`;

/** Portuguese travellers in Spain (both live for both services); `more` adds top-level sections, `sets` tweak any key. */
const ptEs = (population: string, more = '', sets: readonly string[] = []): ScenarioSpec =>
  loadScenarioText(
    base(`
countries:
  PT: {}
  ES: {}
${more}
population:
  - name: travellers
    count: 3000
    home: PT
    destination: ES
    arrival: uniform(0d, 8d)
    stay: uniform(1d, 2d)
    age: triangular(40, 70, 90)
${population}
`),
    'known-answer.yaml',
    { sets },
  );

describe('known answers', () => {
  it('every patient opted out of PS and eP: every attempt fails with ERROR_NO_CONSENT (4701) at the XCA query', () => {
    const r = run(ptEs(`    consent: 0\n    refills: 1\n    emergencies: 0.2\n`, `protocol:\n  identification: { nationalId: 1, ehic: 1, eudiWallet: 1 }\n`));
    for (const flow of ['patientSummary', 'ePrescription'] as const) {
      const f = r.flows[flow]!;
      expect(f.attempts).toBeGreaterThan(100);
      expect(f.succeeded).toBe(0);
      expect(f.failureReasons).toEqual({ ERROR_NO_CONSENT: f.attempts });
      expect(f.steps['xcaQuery']!.failed).toBe(f.attempts);
      expect(f.steps['xcaRetrieve']).toBeUndefined();
    }
    expect(r.flows['eDispensation']!.attempts).toBe(0);
  });

  it('country A does not offer ePrescription: every eP attempt fails with SERVICE_NOT_OFFERED_BY_A, PS still works', () => {
    const needs = `    refills: 1\n    emergencies: 0.2\n`;
    const spec = ptEs(needs);
    const off = ptEs(needs, '', ['countries.PT.services.ePrescription.asA=false']);
    expect(spec.countries['PT']!.services.ePrescription.asA).toBe(true);
    const r = run(off);
    const ep = r.flows['ePrescription']!;
    expect(ep.attempts).toBeGreaterThan(100);
    expect(ep.failureReasons).toEqual({ SERVICE_NOT_OFFERED_BY_A: ep.attempts });
    expect(ep.steps).toEqual({});
    expect(r.flows['patientSummary']!.succeeded).toBeGreaterThan(0);
  });

  it('zero loss and unlimited capacity: mean PS latency equals the sum of the configured step means', () => {
    const wide = ptEs(
      `    consent: 1\n    refills: 0\n    emergencies: 0.3\n`,
      `network:\n  loss: 0\n  national: { latency: lognormal(4ms, 0.3), loss: 0 }\n  links:\n    ES-PT: { latency: uniform(5ms, 15ms), loss: 0 }\nprotocol:\n  identification: { nationalId: 1, ehic: 1, eudiWallet: 1 }\n`,
      // capacity far above demand: no queueing
      ['countries.PT.ncp.capacity=100000', 'countries.PT.transcodingErrorRate=0', 'countries.ES.ncp.capacity=100000', 'countries.ES.hospitals.count=2', 'countries.ES.hospitals.staff=100000'],
    );
    const r = run(wide);
    const ps = r.flows['patientSummary']!;
    expect(ps.failed).toBe(0);
    const a = wide.countries['PT']!.ncp.serviceTime;
    const b = wide.countries['ES']!.ncp.serviceTime;
    const nat = mean(wide.network.national.latency);
    const link = mean(wide.network.links['ES-PT']!.latency);
    const expected =
      12 * nat + 3 * mean(b.outbound) + 6 * link + mean(b.hcpAssertion) + mean(b.trc) + mean(b.translate) + mean(a.xcpd) + mean(a.xcaQuery) + mean(a.xcaRetrieve);
    expect(ps.attempts).toBeGreaterThan(1000);
    expect(Math.abs(ps.latencyMs.mean / expected - 1)).toBeLessThan(0.02);
  });

  it('a pharmacy with Poisson arrivals and c pharmacists matches Erlang C', () => {
    const spec = loadScenarioText(
      base(`
countries:
  PT:
    ncp: { capacity: 100000, serviceTime: { xcpd: 0ms, xcaQuery: 0ms, xcaRetrieve: 0ms, xdrSubmit: 0ms } }
    transcodingErrorRate: 0
  ES:
    ncp: { capacity: 100000, serviceTime: { hcpAssertion: 0ms, trc: 0ms, translate: 0ms, outbound: 0ms } }
    pharmacies: { count: 1, staff: 3, serviceTime: exp(4min) }
network:
  latency: 0ms
  national: { latency: 0ms }
protocol:
  identification: { nationalId: 1, ehic: 1, eudiWallet: 1 }
population:
  - name: travellers
    count: 9000
    home: PT
    destination: ES
    arrival: uniform(0d, 10d)
    stay: 1ms
    age: triangular(60, 75, 90)
    prevalenceScale: 5
    consent: 1
    refills: 1
    emergencies: 0
`),
      'pharmacy.yaml',
      // rho = 0.83: one replication's mean wait varies by ~10 %, so average eight.
      { sets: ['replications=8'] },
    );
    const r = run(spec);
    const node = r.nodes['pharmacy.ES.0']!;
    const customers = node.served / spec.replications;
    const lambda = customers / spec.durationMs; // per ms (arrivals spread over the 10 days)
    const mu = 1 / 240_000;
    const c = 3;
    const a = lambda / mu;
    const rho = a / c;
    expect(rho).toBeGreaterThan(0.6);
    expect(rho).toBeLessThan(0.95);
    let sum = 0;
    let term = 1;
    for (let k = 0; k < c; k++) {
      if (k > 0) term *= a / k;
      sum += term;
    }
    const top = (term * a) / c / (1 - rho);
    const wq = top / (sum + top) / (c * mu - lambda);
    // Relative standard error of the 8-replication mean is ~2.5 %: 8 % is about 3 SE.
    expect(Math.abs(node.waitMs.mean / wq - 1)).toBeLessThan(0.08);
  });
});
