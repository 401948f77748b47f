/**
 * Paired comparison of two variants of a scenario. Replication i of A is
 * paired with replication i of B: with the same seed they share random
 * numbers (common random numbers), so the interval of the per-replication
 * differences B - A is far tighter than comparing two separate intervals.
 */
import { Histogram, type EncodedHistogram } from '../engine/index.ts';
import { FLOW_NAMES } from '../agents/names.ts';
import type { FlowTally, ReplicationResult, SecurityTally } from '../agents/result.ts';
import { ci95, mean, type Ci95 } from './interval.ts';

export type MetricGroup = 'flow' | 'node' | 'security';
/** rate: a share in [0, 1]; ms: a duration; count: events per replication. */
export type MetricUnit = 'rate' | 'ms' | 'count';

export interface ComparisonLabels {
  readonly a: string;
  readonly b: string;
}

export interface MetricComparison {
  readonly group: MetricGroup;
  /** Flow name, node id, or `security`. */
  readonly subject: string;
  /** e.g. `successRate`, `latencyMs.p95`, `failures.ERROR_NO_CONSENT`, `utilisation`, `waitMs.mean`, `consentViolations`. */
  readonly metric: string;
  readonly unit: MetricUnit;
  /** Replication pairs where both sides define the metric (a latency needs a success on both sides). */
  readonly pairs: number;
  /** Mean over those pairs of A's value, of B's value, and of B - A. */
  readonly a: number;
  readonly b: number;
  readonly diff: number;
  /** 95 % Student-t interval of the mean paired difference; null with fewer than 2 pairs; [0, 0] when every difference is 0. */
  readonly ci95: Ci95;
  /** The interval excludes zero. */
  readonly significant: boolean;
}

export interface Comparison {
  readonly labels: ComparisonLabels;
  /** Replication indices present in both A and B. */
  readonly pairs: number;
  /** Replications of one side whose index the other side lacks (left out). */
  readonly unpaired: { readonly a: number; readonly b: number };
  /** Every pair ran on the same random stream (same seed and index). */
  readonly commonRandomNumbers: boolean;
  readonly metrics: readonly MetricComparison[];
}

/** A comparison that cannot be made from the results given. */
export class CompareError extends Error {
  readonly code = 'COMPARE';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CompareError';
  }
}

type Pair = readonly [ReplicationResult, ReplicationResult];
/** A metric's value in one replication, or undefined where it does not exist (no attempts, no samples). */
type Value = (r: ReplicationResult) => number | undefined;

export function compareResults(a: readonly ReplicationResult[], b: readonly ReplicationResult[], labels: ComparisonLabels): Comparison {
  const byA = byIndex(a, labels.a);
  const byB = byIndex(b, labels.b);
  const pairs: Pair[] = [];
  for (const [i, ra] of [...byA].sort((x, y) => x[0] - y[0])) {
    const rb = byB.get(i);
    if (rb !== undefined) pairs.push([ra, rb]);
  }
  if (pairs.length === 0) {
    throw new CompareError(`${labels.a} and ${labels.b} have no replication index in common`, 'run both variants with the same replication indices (same --replications)');
  }

  const metrics: MetricComparison[] = [];
  const add = (group: MetricGroup, subject: string, metric: string, unit: MetricUnit, pick: Value): void => {
    const m = compareMetric(pairs, pick);
    if (m !== undefined) metrics.push({ group, subject, metric, unit, ...m });
  };

  for (const flow of FLOW_NAMES) {
    const tally = (r: ReplicationResult): FlowTally | undefined => r.flows[flow].attempts > 0 ? r.flows[flow] : undefined;
    if (!pairs.some(([x, y]) => tally(x) !== undefined || tally(y) !== undefined)) continue;
    add('flow', flow, 'successRate', 'rate', (r) => {
      const t = tally(r);
      return t === undefined ? undefined : t.succeeded / t.attempts;
    });
    const latency = (r: ReplicationResult): Histogram | undefined => decoded(r.flows[flow].latency);
    add('flow', flow, 'latencyMs.mean', 'ms', (r) => latency(r)?.mean);
    for (const p of [50, 95, 99]) add('flow', flow, `latencyMs.p${p}`, 'ms', (r) => latency(r)?.percentile(p));
    const reasons = new Set<string>();
    for (const pair of pairs) for (const r of pair) for (const k of Object.keys(r.flows[flow].failureReasons)) reasons.add(k);
    for (const reason of [...reasons].sort()) add('flow', flow, `failures.${reason}`, 'count', (r) => r.flows[flow].failureReasons[reason] ?? 0);
  }

  const ids = new Set<string>();
  for (const pair of pairs) for (const r of pair) for (const id of Object.keys(r.nodes)) ids.add(id);
  for (const id of [...ids].sort()) {
    add('node', id, 'utilisation', 'rate', (r) => r.nodes[id]?.utilisation);
    add('node', id, 'waitMs.mean', 'ms', (r) => decoded(r.nodes[id]?.wait)?.mean);
  }

  // Every numeric field of the security tally is a counter (new ones join without a change here).
  const counters = new Set<string>();
  for (const pair of pairs) for (const r of pair) for (const [k, v] of Object.entries(r.security)) if (typeof v === 'number') counters.add(k);
  for (const c of counters) add('security', 'security', c, 'count', (r) => counter(r.security, c));

  const crn = pairs.every(([x, y]) => x.streamPath === y.streamPath);
  return { labels, pairs: pairs.length, unpaired: { a: byA.size - pairs.length, b: byB.size - pairs.length }, commonRandomNumbers: crn, metrics };
}

/** Mean of A, of B and of the paired differences over the pairs where both define the metric. */
function compareMetric(pairs: readonly Pair[], pick: Value): Omit<MetricComparison, 'group' | 'subject' | 'metric' | 'unit'> | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  const ds: number[] = [];
  for (const [ra, rb] of pairs) {
    const x = pick(ra);
    const y = pick(rb);
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    xs.push(x);
    ys.push(y);
    ds.push(y - x);
  }
  if (ds.length === 0) return undefined;
  // Identical results give exact zeros; say so exactly rather than trusting t * 0.
  const interval: Ci95 = ds.every((d) => d === 0) ? (ds.length < 2 ? null : [0, 0]) : ci95(ds);
  const significant = interval !== null && (interval[0] > 0 || interval[1] < 0);
  return { pairs: ds.length, a: round(mean(xs)), b: round(mean(ys)), diff: round(mean(ds)), ci95: interval === null ? null : [round(interval[0]), round(interval[1])], significant };
}

function byIndex(results: readonly ReplicationResult[], label: string): Map<number, ReplicationResult> {
  const out = new Map<number, ReplicationResult>();
  for (const r of results) {
    if (out.has(r.index)) throw new CompareError(`${label} has replication ${r.index} twice`, 'pass each replication result once');
    out.set(r.index, r);
  }
  return out;
}

function counter(s: SecurityTally, key: string): number | undefined {
  const v: unknown = (s as unknown as Readonly<Record<string, unknown>>)[key];
  return typeof v === 'number' ? v : undefined;
}

const cache = new WeakMap<EncodedHistogram, Histogram>();
/** Decoded histogram, or undefined when it holds no samples; decoded once per object. */
function decoded(e: EncodedHistogram | undefined): Histogram | undefined {
  if (e === undefined || e.count === 0) return undefined;
  let h = cache.get(e);
  if (h === undefined) {
    h = Histogram.decode(e);
    cache.set(e, h);
  }
  return h;
}

/**
 * Readable JSON: 9 significant digits (relative, because a national node's
 * utilisation can be 1e-6 and still differ significantly); -0 becomes 0.
 */
const round = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(9)) + 0);
