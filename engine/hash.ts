/**
 * Small non-cryptographic string hashes used to derive seeds and spec hashes.
 * hash128 mixes four 32-bit lanes (the cyrb128 construction) so that names that
 * differ by one character give unrelated seeds. Pure functions of their input.
 */

/** Scratch for hash128 and hash32, which read the words at once: no array allocated per call. */
const scratch = new Uint32Array(4);

/** 128-bit hash of a string as 32 hex digits. */
export function hash128(str: string): string {
  const words = hash128Words(str, scratch);
  let hex = '';
  for (let i = 0; i < 4; i++) hex += words[i]!.toString(16).padStart(8, '0');
  return hex;
}

/**
 * 128-bit hash of a string as four unsigned 32-bit words, written into `out`.
 * A Uint32Array, not an array literal: a literal of these words holds Smis or
 * doubles depending on the values, and the code reading it (inlined into the
 * population's planning) met a new map and was deoptimised now and then.
 */
export function hash128Words(str: string, out: Uint32Array = new Uint32Array(4)): Uint32Array {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  out[0] = h1;
  out[1] = h2;
  out[2] = h3;
  out[3] = h4;
  return out;
}

/** A 32-bit unsigned integer derived from a string (for libraries that take numeric seeds). */
export function hash32(str: string): number {
  return hash128Words(str, scratch)[0]!;
}
