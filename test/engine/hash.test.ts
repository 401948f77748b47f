/**
 * The string hashes every seed and stream key derives from. The known answers
 * pin the values (a change here changes every scenario's results); the rest
 * checks that the hex and word forms agree and that `out` is written in place.
 */
import { describe, expect, it } from 'vitest';
import { hash128, hash128Words, hash32 } from '../../engine/hash.ts';

const KNOWN: readonly (readonly [string, string])[] = [
  ['', '027ae52ecfc796215593990d4b41437c'],
  ['pitsim', '3291d1297041626abac25d4bad8550f9'],
  ['pitsim\u0000rep:0', '6f145c61917ba645bc839848ae2848c5'],
  ['pitsim-keyed\u0000root/population/Finnish commuters', '4f4a33a70eb0ca56c90782b5fb92e0c3'],
];

describe('hash128', () => {
  it.each(KNOWN)('hashes %j to its known value', (input, hex) => {
    expect(hash128(input)).toBe(hex);
  });

  it('gives the same four words as hex, unsigned, and hash32 as the first', () => {
    for (const [input, hex] of KNOWN) {
      const words = hash128Words(input);
      expect(words).toBeInstanceOf(Uint32Array);
      expect(Array.from(words, (w) => w.toString(16).padStart(8, '0')).join('')).toBe(hex);
      expect(hash32(input)).toBe(parseInt(hex.slice(0, 8), 16));
    }
  });

  it('writes into the array it is given and returns it', () => {
    const out = new Uint32Array(4);
    expect(hash128Words('pitsim', out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(hash128Words('pitsim')));
    hash128Words('', out);
    expect(Array.from(out)).toEqual(Array.from(hash128Words('')));
  });
});
