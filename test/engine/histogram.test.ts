// Latency histograms: percentiles against values whose answer is known, and
// the wire form (what a worker sends) decoding to the same histogram.
import { describe, expect, it } from 'vitest';
import { Histogram, RandomStream } from '../../engine/index.ts';
import * as hdr from 'hdr-histogram-js';
import { encodeCounts, HistogramCodecError } from '../../engine/histogram-codec.ts';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

/** Sub-millisecond steps, second-long flows, hour-long windows and exact zeros, from one stream. */
function mixed(seed: string, n: number): Histogram {
  const rng = RandomStream.root(seed);
  const h = new Histogram();
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    h.record(kind === 0 ? 0 : kind === 1 ? rng.exponential(0.4) : kind === 2 ? rng.exponential(1500) : rng.exponential(3_600_000));
  }
  return h;
}

const at = (h: Histogram): number[] => PERCENTILES.map((p) => h.percentile(p));

describe('Histogram', () => {
  it('gives percentiles within its 3 significant digits', () => {
    const h = new Histogram();
    for (let v = 1; v <= 10_000; v++) h.record(v);
    expect(h.count).toBe(10_000);
    expect(h.mean).toBeCloseTo(5000.5, 9);
    for (const [p, exact] of [[50, 5000], [90, 9000], [99, 9900], [99.9, 9990]] as const) {
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(1e-3);
    }
    expect(h.percentile(100)).toBe(10_000);
  });

  it('decodes from its wire form to the same counts, percentiles and summary', () => {
    const h = mixed('roundtrip', 20_000);
    const e = h.encode();
    const d = Histogram.decode(e);
    expect(at(d)).toEqual(at(h));
    expect(d.summary()).toEqual(h.summary());
    // The wire form of the decoded histogram is the same string: nothing lost or added.
    expect(d.encode()).toEqual(e);
  });

  it('merges decoded histograms exactly as it merges the originals', () => {
    const parts = ['a', 'b', 'c'].map((s, i) => mixed(s, 5_000 * (i + 1)));
    const direct = new Histogram();
    const viaWire = new Histogram();
    for (const h of parts) {
      direct.merge(h);
      viaWire.merge(Histogram.decode(h.encode()));
    }
    expect(viaWire.count).toBe(30_000);
    expect(at(viaWire)).toEqual(at(direct));
    expect(viaWire.summary()).toEqual(direct.summary());
  });

  it('holds the same counts as HdrHistogram fed every value, across the 2048 µs edge of its exact counts, merges and reads between records', () => {
    const rng = RandomStream.root('edge');
    const values: number[] = [];
    for (let i = 0; i < 6_000; i++) values.push(i % 3 === 0 ? rng.exponential(0.3) : i % 3 === 1 ? 2.040 + (i % 20) / 1000 : rng.exponential(40));
    const reference = new hdr.Int32Histogram(1, 2, 3);
    reference.autoResize = true;
    for (const v of values) reference.recordValue(Math.round(v * 1000));
    // Recorded into three histograms, read partway (folding what was counted), merged at the end.
    const parts = [new Histogram(), new Histogram(), new Histogram()];
    values.forEach((v, i) => {
      parts[i % 3]!.record(v);
      if (i === 2_500) parts[1]!.percentile(50);
    });
    const merged = new Histogram();
    for (const p of parts) merged.merge(p);
    expect(merged.encode().hdr).toBe(encodeCounts(reference));
    for (const p of PERCENTILES) expect(merged.percentile(p)).toBe(Math.min(reference.getValueAtPercentile(p) / 1000, merged.max));
    // Merging leaves the merged-in histograms as they were.
    expect(parts[0]!.count + parts[1]!.count + parts[2]!.count).toBe(6_000);
    expect(Histogram.decode(parts[0]!.encode()).summary()).toEqual(parts[0]!.summary());
  });

  it('encodes an empty histogram as nothing and one holding only zeros as zeros', () => {
    expect(new Histogram().encode()).toEqual({ count: 0, sum: 0, min: 0, max: 0, hdr: '' });
    expect(Histogram.decode(new Histogram().encode()).percentile(50)).toBe(0);
    const zeros = new Histogram();
    for (let i = 0; i < 7; i++) zeros.record(0);
    const d = Histogram.decode(zeros.encode());
    expect(d.count).toBe(7);
    expect(at(d)).toEqual(PERCENTILES.map(() => 0));
  });

  it('rejects a wire form that is cut short or names a bucket beyond its maximum', () => {
    const e = mixed('bad', 1_000).encode();
    const bytes = Buffer.from(e.hdr, 'base64');
    const cut = { ...e, hdr: bytes.subarray(0, bytes.length - 1).toString('base64') };
    // The last byte ends the last count: without it, a number is left unfinished or a count is missing.
    expect(() => Histogram.decode(cut)).toThrow(HistogramCodecError);
    expect(() => Histogram.decode({ ...e, max: 1 })).toThrow(/beyond the encoded maximum/);
  });
});
