/**
 * The wire form of an HdrHistogram's counts: its non-zero buckets as
 * (index gap, count) pairs of unsigned LEB128 varints, base64. Lossless for a
 * histogram of the same precision (bucket index -> value is fixed by it), and
 * cheap at both ends: one pass over the counts, no zlib stream per histogram
 * (hdr's compressed form builds a deflate stream, ~260 KB of zlib state, for each).
 */
import { Buffer } from 'node:buffer';
import type { JsHistogram } from 'hdr-histogram-js';
import { KernelError } from './errors.ts';

/** A wire string that is not a whole sequence of (gap, count) varint pairs. */
export class HistogramCodecError extends KernelError {
  override readonly code = 'BAD_HISTOGRAM_ENCODING';
  constructor(detail: string) {
    super(`encoded histogram counts are malformed: ${detail}`, 'encoded counts come from Histogram.encode of the same pitsim version; a worker or queue of another version writes another form');
    this.name = 'HistogramCodecError';
  }
}

/** The counts of `h` up to its largest recorded value; '' when it holds none. */
export function encodeCounts(h: JsHistogram): string {
  if (h.totalCount === 0) return '';
  const last = h.countsArrayIndex(h.maxValue);
  let bytes = 0;
  let previous = -1;
  for (let i = 0; i <= last; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    bytes += varintLength(i - previous) + varintLength(count);
    previous = i;
  }
  // Its own bytes, not Buffer's shared pool: a pool slab is held by a module-level
  // variable, so each filled slab outlives young-generation GCs (the pool's retention).
  const out = new Uint8Array(bytes);
  let n = 0;
  previous = -1;
  for (let i = 0; i <= last; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    n = putVarint(out, n, i - previous);
    n = putVarint(out, n, count);
    previous = i;
  }
  return Buffer.from(out.buffer, 0, n).toString('base64');
}

/**
 * Sets the counts `encoded` holds into `h`, an empty histogram of the same
 * precision whose range covers them (sized for the encoded maximum).
 */
export function decodeCountsInto(h: JsHistogram, encoded: string): void {
  if (encoded === '') return;
  const r = new VarintReader(Buffer.from(encoded, 'base64'));
  let index = -1;
  while (!r.done) {
    index += r.next();
    const count = r.next();
    if (count === 0 || index >= h.countsArrayLength) throw new HistogramCodecError(count === 0 ? `a zero count at bucket ${index}` : `bucket ${index} lies beyond the encoded maximum`);
    h.setCountAtIndex(index, count);
  }
  h.establishInternalTackingValues(index + 1); // total count, min and max from the counts
}

function varintLength(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function putVarint(out: Uint8Array, at: number, v: number): number {
  while (v >= 128) {
    out[at++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}

class VarintReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  next(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw new HistogramCodecError(`it ends inside a number (byte ${this.at})`);
      const b = this.bytes[this.at++]!;
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  }
}
