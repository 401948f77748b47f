// Thresholds: the grammar (`<path> <op> <number>`), each operator, paths checked
// against the Report's shape at parse time with did-you-mean, and evaluation
// where a metric the Report lacks, or that has no data, fails (Artillery).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON } from '../../agents/reasons.ts';
import type { Report } from '../../reports/report.ts';
import { evaluateThresholds, parseThreshold, ThresholdError } from '../../reports/thresholds.ts';

const fixture = (): Report => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'report.json'), 'utf8')) as Report;

function parseError(expr: string): ThresholdError {
  try {
    parseThreshold(expr);
  } catch (err) {
    if (err instanceof ThresholdError) return err;
    throw err;
  }
  throw new Error(`"${expr}" parsed`);
}

describe('parseThreshold', () => {
  it('reads path, operator and number', () => {
    const t = parseThreshold('  flows.ePrescription.latencyMs.p95 < 5000 ');
    expect(t.expression).toBe('flows.ePrescription.latencyMs.p95 < 5000');
    expect(t.metric).toBe('flows.ePrescription.latencyMs.p95');
    expect(t.op).toBe('<');
    expect(t.value).toBe(5000);
    expect(t.path.map((s) => s.key)).toEqual(['flows', 'ePrescription', 'latencyMs', 'p95']);
  });

  it('reads every operator, with or without spaces', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!='] as const) {
      expect(parseThreshold(`security.auditGaps ${op} 1`).op).toBe(op);
      expect(parseThreshold(`security.auditGaps${op}1`).op).toBe(op);
    }
  });

  it('reads numbers: negative, decimal, leading dot, exponent', () => {
    expect(['-1', '0.99', '.5', '1e3', '2.5E-2'].map((n) => parseThreshold(`security.auditGaps > ${n}`).value)).toEqual([-1, 0.99, 0.5, 1000, 0.025]);
  });

  it('keeps the dots of a node id in one key', () => {
    expect(parseThreshold('nodes.ncp.FR.utilisation <= 0.8').path.map((s) => s.key)).toEqual(['nodes', 'ncp.FR', 'utilisation']);
    expect(parseThreshold('nodes.pharmacy.FR.12.waitMs.p99 < 60000').metric).toBe('nodes.pharmacy.FR.12.waitMs.p99');
  });

  it('reads an interval bound with lo / hi', () => {
    expect(parseThreshold('flows.ePrescription.ci95.successRate.lo > 0.95').path.at(-1)).toEqual({ kind: 'bound', key: 'lo' });
    expect(parseThreshold('nodes.ncp.FR.waitMs.ci95.p95.hi < 10').metric).toBe('nodes.ncp.FR.waitMs.ci95.p95.hi');
  });

  const bad: [string, { offset: number; path: string; message: string; hint?: string }][] = [
    ['', { offset: 0, path: '', message: 'threshold "", column 1: empty threshold (expected a metric path such as flows.ePrescription.successRate)', hint: 'write <path> <operator> <number>, e.g. flows.ePrescription.latencyMs.p95 < 5000' }],
    ['flow.ePrescription.successRate > 0.9', { offset: 0, path: 'flow', message: 'threshold "flow.ePrescription.successRate > 0.9", column 1: unknown section "flow" (expected one of meta, flows, nodes, security, iot, faults)', hint: 'did you mean flows?' }],
    [
      'flows.ePrescripton.successRate > 0.9',
      { offset: 6, path: 'flows.ePrescripton', message: 'threshold "flows.ePrescripton.successRate > 0.9", column 7: unknown flow "ePrescripton" (expected one of patientSummary, ePrescription, eDispensation, iotUpload, consentChange)', hint: 'did you mean ePrescription?' },
    ],
    [
      'flows.ePrescription.latencyMs.p59 < 10',
      { offset: 30, path: 'flows.ePrescription.latencyMs.p59', message: 'threshold "flows.ePrescription.latencyMs.p59 < 10", column 31: flows.ePrescription.latencyMs has no field "p59" (expected one of count, mean, p50, p90, p95, p99, max, ci95)', hint: 'did you mean p50?' },
    ],
    [
      'nodes.ncp.FR.utilization < 0.8',
      { offset: 13, path: 'nodes.ncp.FR.utilization', message: 'threshold "nodes.ncp.FR.utilization < 0.8", column 14: nodes.ncp.FR has no field "utilization" (expected one of capacity, served, utilisation, availability, waitMs, ci95)', hint: 'did you mean utilisation?' },
    ],
    [
      'flows.ePrescription.steps.xcdp.count > 0',
      { offset: 26, path: 'flows.ePrescription.steps.xcdp', message: 'threshold "flows.ePrescription.steps.xcdp.count > 0", column 27: unknown step "xcdp" (expected one of hcpAssertion, xcpd, trc, xcaQuery, xcaRetrieve, translate, dispense, xdrSubmit)', hint: 'did you mean xcpd?' },
    ],
    [
      'flows.ePrescription.successRate.ci95.lo > 0.95',
      {
        offset: 32,
        path: 'flows.ePrescription.successRate.ci95',
        message: 'threshold "flows.ePrescription.successRate.ci95.lo > 0.95", column 33: flows.ePrescription.successRate is a number; nothing follows it (expected an operator after the path)',
        hint: "the interval of a field is under its parent's ci95: flows.ePrescription.ci95.successRate.lo",
      },
    ],
    [
      'flows.ePrescription.ci95.successRate > 0.95',
      { offset: 36, path: 'flows.ePrescription.ci95.successRate', message: 'threshold "flows.ePrescription.ci95.successRate > 0.95", column 37: flows.ePrescription.ci95.successRate is an interval [lo, hi], not a number (expected lo or hi)', hint: 'flows.ePrescription.ci95.successRate.lo or flows.ePrescription.ci95.successRate.hi' },
    ],
    ['flows.ePrescription.ci95.successRate.0 > 0.95', { offset: 37, path: 'flows.ePrescription.ci95.successRate.0', message: 'threshold "flows.ePrescription.ci95.successRate.0 > 0.95", column 38: unknown interval bound "0" (expected lo or hi)', hint: 'write lo' }],
    ['flows.ePrescription.latencyMs < 5000', { offset: 29, path: 'flows.ePrescription.latencyMs', message: 'threshold "flows.ePrescription.latencyMs < 5000", column 30: flows.ePrescription.latencyMs is a latency summary, not a number (expected a field: one of count, mean, p50, p90, p95, p99, max, ci95)' }],
    ['nodes.ncp.FR < 1', { offset: 12, path: 'nodes.ncp.FR', message: 'threshold "nodes.ncp.FR < 1", column 13: nodes.ncp.FR is a node, not a number (expected a field: one of capacity, served, utilisation, availability, waitMs, ci95)' }],
    ['run.wallMs < 1000', { offset: 0, path: 'run', message: 'threshold "run.wallMs < 1000", column 1: run describes how this run was executed and varies between identical runs (expected a numeric metric)', hint: 'threshold what the run concluded (flows, nodes, security, iot, faults, meta)' }],
    ['meta.scenario == 1', { offset: 5, path: 'meta.scenario', message: 'threshold "meta.scenario == 1", column 6: meta.scenario is text, not a number (expected a numeric metric)' }],
    ['flows..successRate > 1', { offset: 6, path: 'flows', message: 'threshold "flows..successRate > 1", column 7: unexpected "." (expected a path segment (letters, digits, _ or -))' }],
    ['flows.ePrescription.successRate = 1', { offset: 32, path: 'flows.ePrescription.successRate', message: 'threshold "flows.ePrescription.successRate = 1", column 33: unexpected "=" (expected one of < <= > >= == !=)', hint: 'write == to compare for equality' }],
    ['flows.ePrescription.successRate => 0.9', { offset: 32, path: 'flows.ePrescription.successRate', message: 'threshold "flows.ePrescription.successRate => 0.9", column 33: unexpected "=" (expected one of < <= > >= == !=)', hint: 'write >= (greater than or equal)' }],
    ['flows.ePrescription.successRate <> 0.9', { offset: 32, path: 'flows.ePrescription.successRate', message: 'threshold "flows.ePrescription.successRate <> 0.9", column 33: unexpected "<>" (expected one of < <= > >= == !=)', hint: 'write != (not equal)' }],
    ['flows.ePrescription.successRate === 1', { offset: 34, path: 'flows.ePrescription.successRate', message: 'threshold "flows.ePrescription.successRate === 1", column 35: unexpected "=" (expected a number)', hint: 'operators are < <= > >= == !=' }],
    ['security.auditGaps', { offset: 18, path: 'security.auditGaps', message: 'threshold "security.auditGaps", column 19: no operator (expected one of < <= > >= == !=)', hint: 'write <path> <operator> <number>, e.g. flows.ePrescription.successRate > 0.99' }],
    ['security.auditGaps <', { offset: 20, path: 'security.auditGaps', message: 'threshold "security.auditGaps <", column 21: no number after the operator (expected a number)' }],
    ['security.auditGaps < security.consentViolations', { offset: 21, path: 'security.auditGaps', message: 'threshold "security.auditGaps < security.consentViolations", column 22: unexpected "s" (expected a number)', hint: 'compare with a number; a threshold cannot compare two metrics' }],
    ['flows.ePrescription.latencyMs.p95 < 5s', { offset: 37, path: 'flows.ePrescription.latencyMs.p95', message: 'threshold "flows.ePrescription.latencyMs.p95 < 5s", column 38: unexpected "s" after the number (expected the end of the threshold)', hint: 'numbers carry no unit: latency in ms (5000, not 5s), rates as fractions (0.99, not 99%)' }],
    ['security.auditGaps < 5 min', { offset: 23, path: 'security.auditGaps', message: 'threshold "security.auditGaps < 5 min", column 24: unexpected "m" after the number (expected the end of the threshold)', hint: 'numbers carry no unit: latency in ms (5000, not 5s), rates as fractions (0.99, not 99%)' }],
    ['flows.ePrescription.successRate > 99%', { offset: 36, path: 'flows.ePrescription.successRate', message: 'threshold "flows.ePrescription.successRate > 99%", column 37: unexpected "%" after the number (expected the end of the threshold)', hint: 'numbers carry no unit: latency in ms (5000, not 5s), rates as fractions (0.99, not 99%)' }],
    ['security.auditGaps == 0 && security.consentViolations == 0', { offset: 24, path: 'security.auditGaps', message: 'threshold "security.auditGaps == 0 && security.consentViolations == 0", column 25: unexpected "&" after the number (expected the end of the threshold)', hint: 'one condition per threshold: write several thresholds instead' }],
    ['flows.ePrescription.latencyMs.p(95) < 5000', { offset: 31, path: 'flows.ePrescription.latencyMs.p', message: 'threshold "flows.ePrescription.latencyMs.p(95) < 5000", column 32: unexpected "(" (expected a "." or an operator)', hint: "k6's p(...) is written as a path here, e.g. latencyMs.p95 for p(95)" }],
    [
      'flows.ePrescription.failureReasons.ERROR_NO_CONSENTS > 1',
      {
        offset: 35,
        path: 'flows.ePrescription.failureReasons.ERROR_NO_CONSENTS',
        message:
          // The vocabulary is agents/reasons.ts's REASON, in its order.
          `threshold "flows.ePrescription.failureReasons.ERROR_NO_CONSENTS > 1", column 36: unknown failure reason "ERROR_NO_CONSENTS" (expected one of ${Object.values(REASON).join(', ')})`,
        hint: 'did you mean ERROR_NO_CONSENT?',
      },
    ],
    ['  meta.seeds == 1', { offset: 7, path: 'meta.seeds', message: 'threshold "  meta.seeds == 1", column 8: meta has no field "seeds" (expected one of seed, replications, durationMs, patients, policies, assumptions)', hint: 'did you mean seed?' }],
  ];
  for (const [expr, want] of bad) {
    it(`rejects ${JSON.stringify(expr)}`, () => {
      const e = parseError(expr);
      expect(e.code).toBe('BAD_THRESHOLD');
      expect(e.input).toBe(expr);
      expect({ offset: e.offset, path: e.path, message: e.message, hint: e.hint }).toEqual({ hint: undefined, ...want });
    });
  }
});

describe('evaluateThresholds', () => {
  const r = fixture();
  // flows.ePrescription.latencyMs.p95 is 1972.223 in the fixture.
  const p95 = 'flows.ePrescription.latencyMs.p95';

  it('applies each operator', () => {
    const cases: [string, boolean][] = [
      [`${p95} < 1972.224`, true],
      [`${p95} < 1972.223`, false],
      [`${p95} <= 1972.223`, true],
      [`${p95} <= 1972.222`, false],
      [`${p95} > 1972.222`, true],
      [`${p95} > 1972.223`, false],
      [`${p95} >= 1972.223`, true],
      [`${p95} >= 1972.224`, false],
      [`${p95} == 1972.223`, true],
      [`${p95} == 1972`, false],
      [`${p95} != 1972`, true],
      [`${p95} != 1972.223`, false],
    ];
    expect(evaluateThresholds(r, cases.map(([e]) => e)).map((x) => x.ok)).toEqual(cases.map(([, ok]) => ok));
  });

  it('reports the actual value and a message, in the order given', () => {
    expect(evaluateThresholds(r, ['flows.patientSummary.successRate > 0.99', 'security.recordsExposed == 0', 'nodes.ncp.FR.utilisation <= 0.8'])).toEqual([
      { expression: 'flows.patientSummary.successRate > 0.99', actual: 0.844749, ok: false, message: 'flows.patientSummary.successRate is 0.844749, not > 0.99' },
      { expression: 'security.recordsExposed == 0', actual: 0, ok: true, message: 'security.recordsExposed is 0, == 0 holds' },
      { expression: 'nodes.ncp.FR.utilisation <= 0.8', actual: 0.00001, ok: true, message: 'nodes.ncp.FR.utilisation is 0.00001, <= 0.8 holds' },
    ]);
  });

  it('reads interval bounds and dotted node ids', () => {
    const [lo, hi, wait] = evaluateThresholds(r, ['flows.ePrescription.ci95.successRate.lo > 0.85', 'flows.ePrescription.ci95.successRate.hi < 0.95', 'nodes.pharmacy.FR.3.waitMs.p95 < 100']);
    expect([lo?.actual, hi?.actual, wait?.actual]).toEqual([0.866851, 0.904063, 0]);
    expect([lo?.ok, hi?.ok, wait?.ok]).toEqual([true, true, true]);
  });

  it('fails a node the Report does not have, listing the nodes present and the closest', () => {
    const [x] = evaluateThresholds(r, ['nodes.ncp.ES.utilisation < 0.8']);
    expect(x).toEqual({
      expression: 'nodes.ncp.ES.utilisation < 0.8',
      actual: null,
      ok: false,
      message:
        'nodes.ncp.ES.utilisation is missing: nodes has no node "ncp.ES" (present: hospital.DE.0, hospital.DE.1, hospital.FR.0, hospital.FR.1, ncp.DE, ncp.FR, pharmacy.DE.0, pharmacy.DE.1, pharmacy.DE.2, pharmacy.DE.3, pharmacy.DE.4, pharmacy.DE.5, pharmacy.DE.6, pharmacy.DE.7, pharmacy.DE.8, pharmacy.DE.9, pharmacy.FR.0, pharmacy.FR.1, pharmacy.FR.2, pharmacy.FR.3); did you mean ncp.DE?',
    });
  });

  it('fails a metric with no data: no attempts, no samples, a step that never ran, an unknown outcome', () => {
    const got = evaluateThresholds(r, ['flows.iotUpload.successRate > 0.5', 'flows.iotUpload.latencyMs.p95 < 1000', 'flows.patientSummary.steps.dispense.count >= 0', 'flows.ePrescription.outcomes.payPrivatly < 100']);
    expect(got.map((x) => [x.ok, x.actual])).toEqual([
      [false, null],
      [false, null],
      [false, null],
      [false, null],
    ]);
    expect(got.map((x) => x.message)).toEqual([
      'flows.iotUpload.successRate is missing: flows.iotUpload has no attempts',
      'flows.iotUpload.latencyMs.p95 is missing: flows.iotUpload.latencyMs has no samples (count 0)',
      'flows.patientSummary.steps.dispense.count is missing: flows.patientSummary.steps has no step "dispense" (present: hcpAssertion, xcpd, trc, xcaQuery, xcaRetrieve, translate)',
      'flows.ePrescription.outcomes.payPrivatly is missing: flows.ePrescription.outcomes has no outcome "payPrivatly" (present: dispensed, goWithout, paperPrescription, payPrivately); did you mean payPrivately?',
    ]);
  });

  it('fails a bound of an interval that does not exist (one replication)', () => {
    const one = fixture();
    one.flows['ePrescription']!.ci95.successRate = null;
    expect(evaluateThresholds(one, ['flows.ePrescription.ci95.successRate.lo > 0.5'])[0]).toEqual({
      expression: 'flows.ePrescription.ci95.successRate.lo > 0.5',
      actual: null,
      ok: false,
      message: 'flows.ePrescription.ci95.successRate.lo is missing: flows.ePrescription.ci95.successRate has no 95 % interval (fewer than two replications with data)',
    });
  });

  it('counts a known failure reason or warning that never happened as zero', () => {
    const got = evaluateThresholds(r, ['flows.ePrescription.failureReasons.TIMEOUT == 0', 'flows.eDispensation.warnings.WARNING_EP_MISSING_EXPECTED_TRANSLATION == 0', 'flows.ePrescription.failureReasons.ERROR_NO_CONSENT < 100']);
    expect(got.map((x) => [x.ok, x.actual])).toEqual([
      [true, 0],
      [true, 0],
      [false, 129],
    ]);
  });

  it('walks meta.policies and meta.assumptions as they are in the Report', () => {
    const got = evaluateThresholds(r, ['meta.policies.retries.max == 1', 'meta.assumptions.homeRedispenseShare < 1', 'meta.policies.retries.maxx == 1']);
    expect(got.map((x) => x.ok)).toEqual([true, true, false]);
    expect(got[2]!.message).toBe('meta.policies.retries.maxx is missing: meta.policies.retries has no key "maxx" (present: backoffMs, factor, jitter, max); did you mean max?');
  });

  it('rejects a bad expression before evaluating any', () => {
    expect(() => evaluateThresholds(r, ['security.auditGaps == 0', 'security.auditGap == 0'])).toThrow(ThresholdError);
  });

  it('accepts parsed thresholds', () => {
    expect(evaluateThresholds(r, [parseThreshold('security.auditGaps == 0')])[0]?.ok).toBe(true);
  });
});
