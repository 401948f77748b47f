/**
 * k6-style thresholds over a Report: `<path> <op> <number>`, e.g.
 * `flows.ePrescription.latencyMs.p95 < 5000`. Paths are checked against the
 * Report's shape when parsed (typos fail before anything runs); a metric the
 * Report lacks, or that has no data, fails the threshold (Artillery `ensure`).
 * Pure: parse and evaluate, never exit; cli/ maps a failure to exit code 99.
 *
 * The form (grammar in scenarios/threshold-syntax.ts, shared with the
 * scenario loader) is read there; the path is resolved here. The path is the Report's own JSON path. Node and fault ids keep their dots
 * (`nodes.ncp.FR.utilisation`). A 95 % interval `[lo, hi]` is read with `.lo`
 * or `.hi` where the Report keeps it: `flows.X.ci95.successRate.lo`. Numbers
 * are in the metric's unit (ms for *Ms, fractions for rates); `==` is exact.
 * `run` cannot be thresholded: it varies between identical runs.
 */
import { closest } from '../engine/index.ts';
import { FLOW_NAMES, STEP_NAMES } from '../agents/names.ts';
import { REASON, WARNING } from '../agents/reasons.ts';
import { scanThreshold, type Operator, type PathSegment } from '../scenarios/threshold-syntax.ts';
import type { FaultReport, FlowReport, IotReport, LatencyReport, NodeReport, Report, ReportMeta, SecurityReport, StepReport } from './report.ts';

export type { Operator } from '../scenarios/threshold-syntax.ts';

/** One step of a resolved path: a key of an object (node ids may contain dots), or one bound of a ci95. */
export type PathStep =
  | { readonly kind: 'key'; readonly key: string; readonly what: string; readonly absentIsZero: boolean; readonly guard?: Guard }
  | { readonly kind: 'bound'; readonly key: 'lo' | 'hi' };

export interface Threshold {
  /** The expression as given, trimmed. */
  readonly expression: string;
  /** The metric path, dotted: `nodes.ncp.FR.utilisation`. */
  readonly metric: string;
  readonly path: readonly PathStep[];
  readonly op: Operator;
  readonly value: number;
}

export interface ThresholdResult {
  readonly expression: string;
  /** The metric's value; null when the Report lacks it (which fails the threshold). */
  readonly actual: number | null;
  readonly ok: boolean;
  readonly message: string;
}

/** A Report that may carry its evaluated thresholds (cli/ attaches them as `thresholds`). */
export type ReportWithThresholds = Report & { readonly thresholds?: readonly ThresholdResult[] };

/** A threshold expression that cannot be read, or names a path the Report can never have. */
export class ThresholdError extends Error {
  readonly code = 'BAD_THRESHOLD';
  constructor(
    readonly input: string,
    /** 0-based offset in `input` where the problem starts. */
    readonly offset: number,
    /** The metric path as far as it was read, dotted; empty before the first segment. */
    readonly path: string,
    readonly problem: string,
    readonly expected: string,
    readonly hint?: string,
  ) {
    super(`threshold "${input}", column ${offset + 1}: ${problem} (expected ${expected})`);
    this.name = 'ThresholdError';
  }
}

// ---- the Report's shape, as far as thresholds can read it -------------------

/** Says why a number is not data (no samples, no attempts), given the object holding it. */
type Guard = (holder: Readonly<Record<string, unknown>>) => string | undefined;

type Shape =
  | { readonly t: 'num'; readonly guard?: Guard }
  | { readonly t: 'ci' }
  | { readonly t: 'obj'; readonly what: string; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly t: 'map'; readonly what: string; readonly value: Shape; readonly vocab?: readonly string[]; readonly dotted?: boolean; readonly absentIsZero?: boolean }
  | { readonly t: 'open' }
  | { readonly t: 'no'; readonly why: string; readonly hint?: string };

const NUM: Shape = { t: 'num' };
const CI: Shape = { t: 'ci' };
const TEXT: Shape = { t: 'no', why: 'is text, not a number' };
const FLAG: Shape = { t: 'no', why: 'is true or false, not a number' };
const sampled: Shape = { t: 'num', guard: (h) => (h['count'] === 0 ? 'no samples (count 0)' : undefined) };
const tried: Shape = { t: 'num', guard: (h) => (h['attempts'] === 0 ? 'no attempts' : undefined) };

// Record<keyof X, Shape> makes the compiler flag any field added to report.ts and not described here.
function obj<T>(what: string, fields: Record<keyof T & string, Shape>): Shape {
  return { t: 'obj', what, fields };
}

const LATENCY = obj<LatencyReport>('latency summary', {
  count: NUM,
  mean: sampled,
  p50: sampled,
  p90: sampled,
  p95: sampled,
  p99: sampled,
  max: sampled,
  ci95: obj<LatencyReport['ci95']>('interval group', { mean: CI, p50: CI, p95: CI, p99: CI }),
});
const STEP = obj<StepReport>('step', { count: NUM, failed: NUM, latencyMs: LATENCY });
const FLOW = obj<FlowReport>('flow', {
  attempts: NUM,
  succeeded: NUM,
  failed: NUM,
  successRate: tried,
  failureReasons: { t: 'map', what: 'failure reason', value: NUM, vocab: Object.values(REASON), absentIsZero: true },
  outcomes: { t: 'map', what: 'outcome', value: NUM },
  warnings: { t: 'map', what: 'warning', value: NUM, vocab: Object.values(WARNING), absentIsZero: true },
  latencyMs: LATENCY,
  steps: { t: 'map', what: 'step', value: STEP, vocab: STEP_NAMES },
  ci95: obj<FlowReport['ci95']>('interval group', { successRate: CI }),
});
const NODE = obj<NodeReport>('node', {
  kind: TEXT,
  country: TEXT,
  capacity: NUM,
  served: NUM,
  utilisation: NUM,
  availability: NUM,
  waitMs: LATENCY,
  ci95: obj<NodeReport['ci95']>('interval group', { utilisation: CI, availability: CI }),
});
const SECURITY = obj<SecurityReport>('security', {
  recordsExposed: NUM,
  consentViolations: NUM,
  revocationLagMs: LATENCY,
  doubleDispensations: NUM,
  auditGaps: NUM,
  breakGlassAccesses: NUM,
  abuseAlerts: NUM,
  exposureWindowMs: LATENCY,
  ci95: obj<SecurityReport['ci95']>('interval group', { recordsExposed: CI, consentViolations: CI, doubleDispensations: CI, auditGaps: CI }),
});
const IOT = obj<IotReport>('iot', {
  devices: NUM,
  readingsGenerated: NUM,
  readingsDelivered: NUM,
  readingsLost: NUM,
  readingsExfiltrated: NUM,
  personalFieldsCrossed: NUM,
  alerts: NUM,
  alertLatencyMs: LATENCY,
});
const FAULT = obj<FaultReport>('fault', { kind: TEXT, target: TEXT, windows: NUM, activeMs: NUM });
const META = obj<ReportMeta>('meta', {
  scenario: TEXT,
  description: TEXT,
  seed: NUM,
  replications: NUM,
  durationMs: NUM,
  startDate: TEXT,
  patients: NUM,
  version: TEXT,
  deterministic: FLAG,
  specHash: TEXT,
  traceHash: TEXT,
  policies: { t: 'open' },
  faultSpecs: { t: 'no', why: 'is the faults as specified, not a measurement', hint: 'threshold what the faults did: faults.<id>.windows or faults.<id>.activeMs' },
  assumptions: { t: 'map', what: 'assumption', value: NUM },
});
// `thresholds` is listed ahead of report.ts growing that key, so adding it there still compiles.
const REPORT = obj<Report & { thresholds: unknown }>('report', {
  meta: META,
  run: { t: 'no', why: 'describes how this run was executed and varies between identical runs', hint: 'threshold what the run concluded (flows, nodes, security, iot, faults, meta)' },
  flows: { t: 'map', what: 'flow', value: FLOW, vocab: FLOW_NAMES },
  nodes: { t: 'map', what: 'node', value: NODE, dotted: true },
  security: SECURITY,
  iot: IOT,
  faults: { t: 'map', what: 'fault', value: FAULT, dotted: true },
  thresholds: { t: 'no', why: 'holds threshold results, not metrics' },
});

/** Keys of an object shape that lead to a number somewhere. */
function readable(fields: Readonly<Record<string, Shape>>): string[] {
  return Object.keys(fields).filter((k) => fields[k]!.t !== 'no');
}

// ---- parsing -----------------------------------------------------------------

export function parseThreshold(expr: string): Threshold {
  const input = expr.trim();
  const lead = expr.length - expr.trimStart().length;
  const fail: Fail = (offset, path, problem, expected, hint) => {
    throw new ThresholdError(expr, lead + offset, path, problem, expected, hint);
  };
  const syntax = scanThreshold(input);
  const p = syntax.problem;
  // A broken path is reported as such; otherwise the path is resolved before the rest of the form is judged.
  if (p !== undefined && syntax.inPath) fail(p.offset, syntax.segments.map((s) => s.text).join('.'), p.problem, p.expected, p.hint);
  const { path, metric } = resolve(syntax.segments, fail, syntax.pathEnd);
  if (p !== undefined) return fail(p.offset, metric, p.problem, p.expected, p.hint);
  return Object.freeze({ expression: input, metric, path: Object.freeze(path), op: syntax.op, value: syntax.value });
}

type Fail = (offset: number, path: string, problem: string, expected: string, hint?: string) => never;

/** Walks the segments through the Report's shape; `end` is the offset just after the path. */
function resolve(segments: readonly PathSegment[], fail: Fail, end: number): { path: PathStep[]; metric: string } {
  const path: PathStep[] = [];
  const read: string[] = [];
  let shape: Shape = REPORT;
  let k = 0;
  while (k < segments.length) {
    const seg = segments[k]!;
    const here = read.join('.');
    const at = (s: string): string => (here === '' ? s : `${here}.${s}`);
    switch (shape.t) {
      case 'open':
        path.push({ kind: 'key', key: seg.text, what: 'key', absentIsZero: false });
        read.push(seg.text);
        k += 1;
        continue;
      case 'num':
        return fail(
          seg.offset,
          at(seg.text),
          `${here} is a number; nothing follows it`,
          'an operator after the path',
          seg.text === 'ci95' ? `the interval of a field is under its parent's ci95: ${intervalOf(read)}` : undefined,
        );
      case 'ci':
        if (seg.text !== 'lo' && seg.text !== 'hi') {
          fail(seg.offset, at(seg.text), `unknown interval bound "${seg.text}"`, 'lo or hi', seg.text === '0' ? 'write lo' : seg.text === '1' ? 'write hi' : didYouMean(seg.text, ['lo', 'hi']));
        }
        path.push({ kind: 'bound', key: seg.text as 'lo' | 'hi' });
        read.push(seg.text);
        shape = NUM;
        k += 1;
        continue;
      case 'obj': {
        const next = shape.fields[seg.text];
        if (next === undefined) {
          const keys = readable(shape.fields);
          fail(seg.offset, at(seg.text), `${here === '' ? 'unknown section' : `${here} has no field`} "${seg.text}"`, `one of ${keys.join(', ')}`, didYouMean(seg.text, keys));
        }
        if (next.t === 'no') fail(seg.offset, at(seg.text), `${at(seg.text)} ${next.why}`, 'a numeric metric', next.hint);
        path.push({ kind: 'key', key: seg.text, what: 'field', absentIsZero: false, ...(next.t === 'num' && next.guard ? { guard: next.guard } : {}) });
        read.push(seg.text);
        shape = next;
        k += 1;
        continue;
      }
      case 'map': {
        let take = 1;
        if (shape.dotted === true && shape.value.t === 'obj') {
          // A dotted id runs up to the first segment that names a field of the value.
          const fields = shape.value.fields;
          const f = segments.findIndex((s, j) => j > k && s.text in fields);
          take = f === -1 ? segments.length - k : f - k;
          if (f === -1 && take > 1) {
            const last = segments[segments.length - 1]!;
            const guess = closest(last.text, Object.keys(fields));
            const id = segments.slice(k, -1).map((s) => s.text).join('.');
            if (guess !== undefined) fail(last.offset, `${at(id)}.${last.text}`, `${at(id)} has no field "${last.text}"`, `one of ${readable(fields).join(', ')}`, `did you mean ${guess}?`);
          }
        }
        const key = segments.slice(k, k + take).map((s) => s.text).join('.');
        if (shape.vocab !== undefined && !shape.vocab.includes(key)) {
          fail(seg.offset, at(key), `unknown ${shape.what} "${key}"`, `one of ${shape.vocab.join(', ')}`, didYouMean(key, shape.vocab));
        }
        const value: Shape = shape.value;
        path.push({ kind: 'key', key, what: shape.what, absentIsZero: shape.absentIsZero === true });
        read.push(key);
        shape = value;
        k += take;
        continue;
      }
      case 'no':
        // Unreachable: a 'no' shape fails when its key is read.
        return fail(seg.offset, here, `${here} ${shape.why}`, 'a numeric metric', shape.hint);
    }
  }
  const metric = read.join('.');
  if (shape.t === 'obj') fail(end, metric, `${metric} is a ${shape.what}, not a number`, `a field: one of ${readable(shape.fields).join(', ')}`);
  if (shape.t === 'map') fail(end, metric, `${metric} is a group of ${shape.what}s, not a number`, `a ${shape.what} after ${metric}`, shape.vocab ? `one of ${shape.vocab.join(', ')}` : undefined);
  if (shape.t === 'ci') fail(end, metric, `${metric} is an interval [lo, hi], not a number`, 'lo or hi', `${metric}.lo or ${metric}.hi`);
  return { path, metric };
}

function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean ${c}?`;
}

/** `flows.X.successRate` -> `flows.X.ci95.successRate.lo`. */
function intervalOf(read: readonly string[]): string {
  const field = read[read.length - 1] ?? '';
  return [...read.slice(0, -1), 'ci95', field, 'lo'].join('.');
}

// ---- evaluation --------------------------------------------------------------

/**
 * Parses (throwing ThresholdError on the first bad expression, before anything
 * is evaluated) and evaluates each threshold, in the order given.
 */
export function evaluateThresholds(report: Report, thresholds: readonly (string | Threshold)[]): ThresholdResult[] {
  const parsed = thresholds.map((t) => (typeof t === 'string' ? parseThreshold(t) : t));
  return parsed.map((t) => evaluateThreshold(report, t));
}

export function evaluateThreshold(report: Report, t: Threshold): ThresholdResult {
  const got = lookup(report, t.path);
  if (typeof got === 'string') return Object.freeze({ expression: t.expression, actual: null, ok: false, message: `${t.metric} is missing: ${got}` });
  const ok = compare(got.value, t.op, t.value);
  const message = ok ? `${t.metric} is ${got.value}, ${t.op} ${t.value} holds` : `${t.metric} is ${got.value}, not ${t.op} ${t.value}`;
  return Object.freeze({ expression: t.expression, actual: got.value, ok, message });
}

/** The number at `path`, or why there is none. */
function lookup(report: Report, path: readonly PathStep[]): { value: number } | string {
  let cur: unknown = report;
  const read: string[] = [];
  for (const step of path) {
    const here = read.length === 0 ? 'the report' : read.join('.');
    if (step.kind === 'bound') {
      if (cur === null) return `${here} has no 95 % interval (fewer than two replications with data)`;
      if (!Array.isArray(cur)) return `${here} is not an interval`;
      cur = (cur as readonly unknown[])[step.key === 'lo' ? 0 : 1];
      read.push(step.key);
      continue;
    }
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return `${here} is not a group of values`;
    const holder = cur as Readonly<Record<string, unknown>>;
    if (!Object.hasOwn(holder, step.key)) {
      if (step.absentIsZero) return { value: 0 };
      const keys = Object.keys(holder);
      const guess = closest(step.key, keys);
      return `${here} has no ${step.what} "${step.key}" (present: ${keys.length === 0 ? 'none' : keys.join(', ')})${guess === undefined ? '' : `; did you mean ${guess}?`}`;
    }
    const why = step.guard?.(holder);
    if (why !== undefined) return `${here} has ${why}`;
    cur = holder[step.key];
    read.push(step.key);
  }
  if (typeof cur !== 'number' || !Number.isFinite(cur)) return `${read.join('.')} is not a number`;
  return { value: cur };
}

function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}
