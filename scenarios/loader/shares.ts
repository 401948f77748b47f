/**
 * A partial mapping of fixed keys to numbers, each key defaulting to its
 * default: probabilities (each 0..1: consent, identity means, identification)
 * or relative weights (each >= 0, not all 0: fallbacks). The keys allowed are
 * the keys of the defaults record, so adding a key is one edit in defaults.ts.
 */
import type { Entry, Reader } from './reader.ts';

export function shares<K extends string>(r: Reader, e: Entry | undefined, defaults: Readonly<Record<K, number>>, kind: 'probability' | 'weight'): Record<K, number> {
  const keys = Object.keys(defaults) as K[];
  const out = { ...defaults } as Record<K, number>;
  if (e === undefined) return out;
  const f = r.fields(e.value, e.path, keys);
  if (f === undefined) return out;
  for (const k of keys) {
    const x = f.get(k);
    if (x === undefined) continue;
    const v = kind === 'probability' ? r.probability(x.value, x.path) : r.number(x.value, x.path, { min: 0 }, 'a relative weight >= 0');
    if (v !== undefined) out[k] = v;
  }
  if (kind === 'weight' && keys.every((k) => out[k] === 0)) {
    r.report(e.value, e.path, 'every weight is 0', { expected: 'at least one weight > 0', hint: `weights are relative: ${keys.map((k) => `${k}: ${defaults[k]}`).join(', ')} is the default` });
  }
  return out;
}
