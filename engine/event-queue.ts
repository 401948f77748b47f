/**
 * The schedule: one binary min-heap ordered by (time, key). `key` packs the
 * scheduling priority, a global sequence number and a one-bit entry kind, so
 * same-time, same-priority entries pop in FIFO order: the determinism guarantee.
 * Times and keys live in typed arrays; payloads in a parallel plain array.
 * Sifting moves a hole instead of swapping, and nothing is allocated per entry.
 */
import { resized } from './typed-arrays.ts';

export class EventQueue<T> {
  private times: Float64Array;
  private keys: Float64Array;
  private items: (T | undefined)[];
  private n = 0;
  /** Time and key of the entry returned by the last `pop()`. */
  poppedTime = 0;
  poppedKey = 0;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity | 0);
    this.times = new Float64Array(c);
    this.keys = new Float64Array(c);
    this.items = new Array<T | undefined>(c);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest entry, or Infinity when empty. */
  peekTime(): number {
    return this.n === 0 ? Infinity : this.times[0]!;
  }

  push(time: number, key: number, item: T): void {
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    let i = this.n++;
    // Sift the hole up until the parent is not larger.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && keys[p]! < key)) break;
      times[i] = pt;
      keys[i] = keys[p]!;
      items[i] = items[p];
      i = p;
    }
    times[i] = time;
    keys[i] = key;
    items[i] = item;
  }

  /** Removes and returns the earliest entry; its time and key land in poppedTime/poppedKey. */
  pop(): T {
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    const top = items[0] as T;
    this.poppedTime = times[0]!;
    this.poppedKey = keys[0]!;
    const last = --this.n;
    if (last > 0) {
      const t = times[last]!;
      const k = keys[last]!;
      const it = items[last];
      // Sift the hole down from the root, then drop the former last entry into it.
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        const r = c + 1;
        if (r < last) {
          const ct = times[c]!;
          const rt = times[r]!;
          if (rt < ct || (rt === ct && keys[r]! < keys[c]!)) c = r;
        }
        const ct = times[c]!;
        if (t < ct || (t === ct && k < keys[c]!)) break;
        times[i] = ct;
        keys[i] = keys[c]!;
        items[i] = items[c];
        i = c;
      }
      times[i] = t;
      keys[i] = k;
      items[i] = it;
    }
    items[last] = undefined; // let the payload be collected
    return top;
  }

  private grow(): void {
    const c = this.times.length * 2;
    this.times = resized(this.times, c);
    this.keys = resized(this.keys, c);
    this.items.length = c;
  }
}
