/**
 * Growing the typed-array tables kept instead of objects (the schedule, the
 * agenda, the device fleet, the stream table): a copy at a new length, the
 * old elements first and zeros after. Growth is rare, so one copy per growth
 * costs nothing that matters and the tables stay flat.
 */
export type NumberTable = Float64Array | Uint32Array | Int32Array | Uint8Array;

/** A table of the same type as `a`, `length` long, holding `a`'s elements first. */
export function resized<T extends NumberTable>(a: T, length: number): T {
  const b = new (a.constructor as new (length: number) => T)(length);
  b.set(a);
  return b;
}

/** The next capacity of a table grown by a quarter (at least 1024 slots): slack stays small at any size. */
export function grownByQuarter(capacity: number): number {
  return capacity + Math.max(1024, capacity >> 2);
}
