/**
 * A latency histogram in ms, mergeable and of bounded memory: HdrHistogram
 * (3 significant digits, auto-resizing) over integer microseconds for the
 * percentiles, with exact count, sum, min and max kept beside it. Encodes to a
 * compact string (histogram-codec.ts) so replication results stay small across
 * worker threads and queues; a decoded histogram gives the same percentiles.
 */
import * as hdr from 'hdr-histogram-js';
import { decodeCountsInto, encodeCounts } from './histogram-codec.ts';

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
  private h: hdr.JsHistogram | null = null;
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;

  /** Records one value in ms (negative values are recorded as 0). */
  record(ms: number): void {
    const v = ms > 0 ? ms : 0;
    if (this.h === null) this.h = build();
    this.h.recordValue(Math.round(v * 1000));
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Adds another histogram's values into this one. */
  merge(other: Histogram): void {
    if (other.count === 0) return;
    if (this.h === null) this.h = build();
    this.h.add(other.h!);
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  /** Value (ms) at a percentile in [0, 100]; 0 when empty. */
  percentile(p: number): number {
    if (this.h === null || this.count === 0) return 0;
    return Math.min(this.h.getValueAtPercentile(p) / 1000, this.max);
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
      hdr: this.h === null || this.count === 0 ? '' : encodeCounts(this.h),
    };
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
