/**
 * A latency histogram in ms, mergeable and of bounded memory: HdrHistogram
 * (3 significant digits, auto-resizing) over integer microseconds for the
 * percentiles, with exact count, sum, min and max kept beside it. Encodes to a
 * compact string (histogram-codec.ts) so replication results stay small across
 * worker threads and queues; a decoded histogram gives the same percentiles.
 * Values under 2048 µs are counted in a plain array first and folded into the
 * HdrHistogram before anything reads it: that bucket holds each of them
 * exactly, so the counts it ends with are the same either way.
 */
import * as hdr from 'hdr-histogram-js';
import { decodeCountsInto, encodeCounts } from './histogram-codec.ts';

/**
 * HdrHistogram at 3 significant digits has 2048 sub-buckets of 1 µs in its
 * first bucket: every value below is its own bucket. Counting them in an
 * array skips hdr's log2 and pow per value (two of them per request in a
 * loopback load run, where nearly every latency is below 2 ms).
 */
const EXACT_US = 2048;

export interface HistogramSummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface EncodedHistogram {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** The HdrHistogram's non-zero buckets (histogram-codec.ts); empty when count is 0. */
  readonly hdr: string;
}

export class Histogram {
  /** Values of EXACT_US µs and more; null until one is recorded (or the exact counts are folded in). */
  private h: hdr.JsHistogram | null = null;
  /** Counts of the values under EXACT_US µs, by value, not yet in `h`; null until one is recorded. */
  private exact: Uint32Array | null = null;
  /** How many values `exact` holds (0: nothing to fold). */
  private pending = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;

  /** Records one value in ms (negative values are recorded as 0). */
  record(ms: number): void {
    const v = ms > 0 ? ms : 0;
    const us = Math.round(v * 1000);
    if (us < EXACT_US) {
      if (this.exact === null) this.exact = new Uint32Array(EXACT_US);
      this.exact[us]!++;
      this.pending++;
    } else {
      if (this.h === null) this.h = build();
      this.h.recordValue(us);
    }
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Adds another histogram's values into this one. */
  merge(other: Histogram): void {
    if (other.count === 0) return;
    if (other.pending > 0) {
      if (this.exact === null) this.exact = new Uint32Array(EXACT_US);
      const mine = this.exact;
      const theirs = other.exact!;
      for (let i = 0; i < EXACT_US; i++) mine[i]! += theirs[i]!;
      this.pending += other.pending;
    }
    if (other.h !== null) {
      if (this.h === null) this.h = build();
      this.h.add(other.h);
    }
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  /** Value (ms) at a percentile in [0, 100]; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    return Math.min(this.folded().getValueAtPercentile(p) / 1000, this.max);
  }

  get mean(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  summary(): HistogramSummary {
    return {
      count: this.count,
      mean: this.mean,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.max,
    };
  }

  encode(): EncodedHistogram {
    return {
      count: this.count,
      sum: this.sum,
      min: this.count > 0 ? this.min : 0,
      max: this.max,
      hdr: this.count === 0 ? '' : encodeCounts(this.folded()),
    };
  }

  /** The HdrHistogram with the exact counts folded in (only when count > 0). */
  private folded(): hdr.JsHistogram {
    if (this.h === null) this.h = build();
    if (this.pending > 0) {
      const h = this.h;
      const exact = this.exact!;
      for (let us = 0; us < EXACT_US; us++) {
        const n = exact[us]!;
        if (n === 0) continue;
        h.recordValueWithCount(us, n);
        exact[us] = 0;
      }
      this.pending = 0;
    }
    return this.h;
  }

  static decode(e: EncodedHistogram): Histogram {
    const out = new Histogram();
    if (e.count === 0) return out;
    out.h = build(Math.round(e.max * 1000)); // sized for its largest value: counts go straight in
    decodeCountsInto(out.h, e.hdr);
    out.count = e.count;
    out.sum = e.sum;
    out.min = e.min;
    out.max = e.max;
    return out;
  }
}

function build(highestUs = 2): hdr.JsHistogram {
  const h = new hdr.Int32Histogram(1, Math.max(highestUs, 2), 3); // what hdr.build gives for these settings
  h.autoResize = true;
  return h;
}
