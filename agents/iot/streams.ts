/**
 * Random streams by slot, in typed arrays: the generator of RandomStream
 * (seedrandom's Alea, its state set from the 128-bit hash of the stream's
 * path) without an object, a PRNG closure and Alea's seeding per stream.
 * Alea's three state words are multiples of 2^-32 below 1 and its carry an
 * integer below 2^21, so they are kept as 32-bit integers and every step is
 * exact: slot s seeded with path P draws bit for bit what RandomStream.root(P)
 * (or any fork whose path is P) draws. A stream costs 24 bytes (four words and
 * the spare normal variate) and seeding it costs one hash, no allocation kept.
 */
import { RandomStream } from '../../engine/index.ts';
import { streamSeedWords } from '../../engine/random.ts';
import { resized } from '../../engine/typed-arrays.ts';

const TWO_32 = 4294967296;
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;
/** Alea's multiplier: 2091639 * (2^32 - 1) + carry stays below 2^53, so integer steps are exact. */
const ALEA_A = 2091639;

export class StreamTable {
  private s0: Uint32Array;
  private s1: Uint32Array;
  private s2: Uint32Array;
  private c: Uint32Array;
  /** Box-Muller's second variate, NaN when none is kept (as RandomStream.normal). */
  private spare: Float64Array;
  /** Scratch for seed(): the hash's four words, without an allocation per device. */
  private readonly words = new Uint32Array(4);

  constructor(capacity: number) {
    this.s0 = new Uint32Array(capacity);
    this.s1 = new Uint32Array(capacity);
    this.s2 = new Uint32Array(capacity);
    this.c = new Uint32Array(capacity);
    this.spare = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.s0.length;
  }

  /** Bytes held, whatever is in use. */
  get bytes(): number {
    return this.capacity * 24;
  }

  /** Starts slot `slot` as the stream whose path is `path` (RandomStream's seed derivation). */
  seed(slot: number, path: string): void {
    const w = streamSeedWords(path, this.words);
    this.s0[slot] = w[0]!;
    this.s1[slot] = w[1]!;
    this.s2[slot] = w[2]!;
    this.c[slot] = 1;
    this.spare[slot] = NaN;
  }

  /** Uniform on [0, 1): one Alea step. */
  next(slot: number): number {
    const t = ALEA_A * this.s0[slot]! + this.c[slot]!;
    const carry = Math.floor(t / TWO_32);
    const s = t - carry * TWO_32;
    this.s0[slot] = this.s1[slot]!;
    this.s1[slot] = this.s2[slot]!;
    this.s2[slot] = s;
    this.c[slot] = carry;
    return s * TWO_TO_MINUS_32;
  }

  /** Standard normal by Box-Muller, the second variate kept for the next call (as RandomStream.normal). */
  normal(slot: number): number {
    const z = this.spare[slot]!;
    if (z === z) {
      this.spare[slot] = NaN;
      return z;
    }
    const u = 1 - this.next(slot);
    const v = this.next(slot);
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare[slot] = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Makes room for slots [0, capacity); keeps every stream's state. */
  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.s0 = resized(this.s0, capacity);
    this.s1 = resized(this.s1, capacity);
    this.s2 = resized(this.s2, capacity);
    this.c = resized(this.c, capacity);
    this.spare = resized(this.spare, capacity);
  }
}

/**
 * A RandomStream on one slot of a StreamTable, re-aimed with `at(slot)`
 * before use: code written for RandomStream (distributions, the network,
 * equipDevices) draws from a table slot without an object per stream. Only the
 * generator and the spare normal variate differ; every draw formula is
 * RandomStream's own, so the draws are the same.
 */
export class SlotStream extends RandomStream {
  private slot = 0;

  constructor(
    private readonly table: StreamTable,
    /** Path of a slot's stream (only fork(), seed32() and path read it). */
    private readonly pathOf: (slot: number) => string,
  ) {
    super();
  }

  /** Aims the stream at `slot`. */
  at(slot: number): RandomStream {
    this.slot = slot;
    return this;
  }

  get path(): string {
    return this.pathOf(this.slot);
  }

  next(): number {
    return this.table.next(this.slot);
  }

  /** The spare variate lives in the table, per slot. */
  override normal(mean = 0, sd = 1): number {
    return mean + sd * this.table.normal(this.slot);
  }
}
