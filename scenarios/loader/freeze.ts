/**
 * The last step of loading: a deep copy in which every object has its keys in
 * sorted (UTF-16 code unit) order, then deep-frozen. Key order is part of
 * determinism (JSON output, hashes), so it never depends on how a scenario was
 * written. Arrays keep their order. Only plain data is expected.
 */

export function sortedFrozen<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(copy));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = copy((value as Record<string, unknown>)[k]);
    return Object.freeze(out);
  }
  return value;
}
