/**
 * An agenda of what agents need next, by slot: a min-heap of (time, sequence,
 * slot, tag) in typed arrays, 17 bytes an entry, instead of an object or a
 * process per patient or device owner. Same-time entries pop in the order
 * they were planned (the sequence), as the kernel's schedule would run them.
 * Sequence numbers are 32-bit: when they run out, the entries present are
 * renumbered in order. Growth is by a quarter, so spare capacity stays small.
 */
import { grownByQuarter, resized } from '../engine/typed-arrays.ts';

/** Tags of patients' needs (agents/journey.ts). */
export const NEED = Object.freeze({ refill: 0, emergency: 1, revoke: 2, depart: 3 });
export type NeedKind = (typeof NEED)[keyof typeof NEED];

const SEQ_LIMIT = 2 ** 32;

export class SlotAgenda {
  private time = new Float64Array(1024);
  private seq = new Uint32Array(1024);
  private slot = new Uint32Array(1024);
  private tag = new Uint8Array(1024);
  private n = 0;
  private counter = 0;
  /** Slot and tag of the entry the last pop() removed. */
  poppedSlot = 0;
  poppedTag = 0;

  get size(): number {
    return this.n;
  }

  /** Bytes held, whatever is in use. */
  get bytes(): number {
    return this.time.length * 17;
  }

  peekTime(): number {
    return this.n === 0 ? Infinity : this.time[0]!;
  }

  push(t: number, slot: number, tag = 0): void {
    if (this.n === this.time.length) this.grow();
    if (this.counter === SEQ_LIMIT) this.renumber();
    const s = this.counter++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.time[p]!;
      if (pt < t || (pt === t && this.seq[p]! < s)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.slot[i] = slot;
    this.tag[i] = tag;
  }

  /** Removes the earliest entry and returns its time; its slot and tag land in poppedSlot / poppedTag. */
  pop(): number {
    const t = this.time[0]!;
    this.poppedSlot = this.slot[0]!;
    this.poppedTag = this.tag[0]!;
    const last = --this.n;
    if (last > 0) {
      const lt = this.time[last]!;
      const ls = this.seq[last]!;
      const lslot = this.slot[last]!;
      const ltag = this.tag[last]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        if (c + 1 < last) {
          const t1 = this.time[c + 1]!;
          const t0 = this.time[c]!;
          if (t1 < t0 || (t1 === t0 && this.seq[c + 1]! < this.seq[c]!)) c++;
        }
        const ct = this.time[c]!;
        if (lt < ct || (lt === ct && ls < this.seq[c]!)) break;
        this.move(c, i);
        i = c;
      }
      this.time[i] = lt;
      this.seq[i] = ls;
      this.slot[i] = lslot;
      this.tag[i] = ltag;
    }
    return t;
  }

  /** Gives the entries present sequence numbers 0 .. n-1 in their order (the heap stays a heap). */
  private renumber(): void {
    const order = Array.from({ length: this.n }, (_, i) => i).sort((a, b) => this.seq[a]! - this.seq[b]!);
    order.forEach((i, rank) => (this.seq[i] = rank));
    this.counter = this.n;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.slot[to] = this.slot[from]!;
    this.tag[to] = this.tag[from]!;
  }

  private grow(): void {
    const c = grownByQuarter(this.time.length);
    this.time = resized(this.time, c);
    this.seq = resized(this.seq, c);
    this.slot = resized(this.slot, c);
    this.tag = resized(this.tag, c);
  }
}
