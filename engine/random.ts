/**
 * Seeded random streams. One root seed; fork(name) derives an independent stream
 * from the parent's path and the name by hashing, so a stream's draws depend only
 * on its path, never on which other streams exist or were used: adding an agent
 * or a fault never shifts anyone else's numbers. Generator: seedrandom's Alea,
 * its state derived from a 128-bit hash of the path. RandomStream holds the
 * draws built on next(); a subclass may keep its generator elsewhere (the IoT
 * fleet keeps thousands of them in typed arrays).
 */
import seedrandom from 'seedrandom';
import { hash128Words, hash32 } from './hash.ts';

const TWO_TO_MINUS_32 = 2.3283064365386963e-10;
/** Scratch for a stream's seed words: read at once in the constructor, so one per thread serves every stream. */
const seedWords = new Uint32Array(4);

/**
 * The seed derivation of every stream: the 128-bit hash of its path, whose
 * first three words (scaled by 2^-32) are Alea's s0, s1, s2 with c = 1.
 * Written into `out`. StreamTable seeds its slots from it too, so a slot and
 * a RandomStream on the same path draw the same numbers.
 */
export function streamSeedWords(path: string, out: Uint32Array): Uint32Array {
  return hash128Words(`pitsim\u0000${path}`, out);
}

export abstract class RandomStream {
  /** Where this stream sits in the fork tree, e.g. "42/rep:3/pharmacy.FR.12/arrivals". */
  abstract readonly path: string;
  private spare = NaN;

  /** Uniform on [0, 1). */
  abstract next(): number;

  /** The root stream of a run. */
  static root(seed: number | string): RandomStream {
    return new AleaStream(String(seed));
  }

  /** An independent child stream; the same (parent path, name) always gives the same stream. */
  fork(name: string): RandomStream {
    return new AleaStream(`${this.path}/${name}`);
  }

  /** Uniform on [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Normal(mean, sd) by Box-Muller; the second variate is kept for the next call. */
  normal(mean = 0, sd = 1): number {
    let z = this.spare;
    if (z === z) {
      this.spare = NaN;
    } else {
      const u = 1 - this.next();
      const v = this.next();
      const r = Math.sqrt(-2 * Math.log(u));
      z = r * Math.cos(2 * Math.PI * v);
      this.spare = r * Math.sin(2 * Math.PI * v);
    }
    return mean + sd * z;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index chosen with probability proportional to weights[i]. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** A 32-bit seed for libraries with their own generator (faker), derived from the path. */
  seed32(): number {
    return hash32(`seed32\u0000${this.path}`);
  }
}

/** The ordinary stream: an Alea generator object of its own. */
class AleaStream extends RandomStream {
  readonly path: string;
  private readonly prng: seedrandom.PRNG;

  constructor(path: string) {
    super();
    this.path = path;
    // Alea's state is set straight from a 128-bit hash of the path: the
    // hash is the seed derivation, and it spares Alea's own string hashing
    // (forks are made per patient, so this is on a hot path).
    const w = streamSeedWords(path, seedWords);
    this.prng = seedrandom.alea('', { state: { c: 1, s0: w[0]! * TWO_TO_MINUS_32, s1: w[1]! * TWO_TO_MINUS_32, s2: w[2]! * TWO_TO_MINUS_32 } });
  }

  next(): number {
    return this.prng();
  }
}
