// Calibration: the default FI -> EE run reproduces the only published NCPeH
// latencies (DK load test 2026-08-17, research/myhealth-eu.md sec. 7) within 10 %.
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../agents/replication.ts';
import { aggregate } from '../../reports/aggregate.ts';
import { loadScenario } from '../../scenarios/load.ts';

describe('calibration against DK NCPeH measurements', () => {
  it('fi-ee-eprescription: XCPD, XCA query and XCA retrieve p50 and p95 within 10 %', () => {
    const spec = loadScenario('scenarios/fi-ee-eprescription.yaml', { sets: ['replications=2'] });
    const results = [0, 1].map((i) => runReplication(spec, i));
    const r = aggregate(
      { scenario: spec.name, description: '', seed: spec.seed, durationMs: spec.durationMs, startDate: spec.startDate, version: 'test', deterministic: true, specHash: '', policies: null, assumptions: {} },
      { scenarioFile: '', workers: 1, startedAt: '', wallMs: 0, events: 0, eventsPerSec: 0, partial: false, replicationsDone: 2 },
      results,
    );
    const steps = r.flows['ePrescription']!.steps;
    const measured: [string, number, number][] = [
      ['xcpd', 410, 506],
      ['xcaQuery', 454, 516],
      ['xcaRetrieve', 698, 850],
    ];
    for (const [step, p50, p95] of measured) {
      const l = steps[step]!.latencyMs;
      expect(l.count).toBeGreaterThan(500);
      expect(Math.abs(l.p50 / p50 - 1), `${step} p50 ${l.p50}`).toBeLessThan(0.1);
      expect(Math.abs(l.p95 / p95 - 1), `${step} p95 ${l.p95}`).toBeLessThan(0.1);
    }
  });
});
