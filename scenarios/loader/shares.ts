/**
 * A mapping of fixed keys to numbers: probabilities (each 0..1: consent,
 * identity means, identification; a key left out keeps its default) or
 * relative weights (each >= 0, not all 0: fallbacks; a key left out weighs 0
 * once any is given). The keys allowed are the keys of the defaults record, so
 * adding a key is one edit in defaults.ts.
 */
import type { Entry, Reader } from './reader.ts';

export function shares<K extends string>(r: Reader, e: Entry | undefined, defaults: Readonly<Record<K, number>>, kind: 'probability' | 'weight'): Record<K, number> {
  const keys = Object.keys(defaults) as K[];
  if (e === undefined) return { ...defaults };
  // Given weights describe the whole mix (`{ payPrivately: 1 }`: everyone pays); given probabilities override one at a time.
  const out = { ...defaults } as Record<K, number>;
  if (kind === 'weight') for (const k of keys) out[k] = 0;
  const before = r.issues.length;
  const f = r.fields(e.value, e.path, keys);
  if (f === undefined) return out;
  for (const k of keys) {
    const x = f.get(k);
    if (x === undefined) continue;
    const v = kind === 'probability' ? r.probability(x.value, x.path) : r.number(x.value, x.path, { min: 0 }, 'a relative weight >= 0');
    if (v !== undefined) out[k] = v;
  }
  // All zero only counts when every weight given was readable (else it is an echo of that problem).
  if (kind === 'weight' && r.issues.length === before && keys.every((k) => out[k] === 0)) {
    r.report(e.value, e.path, 'every weight is 0', { expected: 'at least one weight > 0', hint: `weights are relative: ${keys.map((k) => `${k}: ${defaults[k]}`).join(', ')} is the default` });
  }
  return out;
}
