/**
 * The agenda of patients' needs: a min-heap of (time, sequence, patient slot,
 * kind) in typed arrays. It holds what each patient present will need next
 * without an object or a process per patient, so a replication's memory
 * follows the needs pending, not the people. Same-time needs pop in the order
 * they were planned (the sequence), which keeps runs deterministic.
 */

export const NEED = Object.freeze({ refill: 0, emergency: 1, revoke: 2, depart: 3 });
export type NeedKind = (typeof NEED)[keyof typeof NEED];

export class NeedAgenda {
  private time = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private slot = new Uint32Array(1024);
  private kind = new Uint8Array(1024);
  private n = 0;
  private counter = 0;
  poppedSlot = 0;
  poppedKind: NeedKind = NEED.refill;

  get size(): number {
    return this.n;
  }

  peekTime(): number {
    return this.n === 0 ? Infinity : this.time[0]!;
  }

  push(t: number, slot: number, kind: NeedKind): void {
    if (this.n === this.time.length) this.grow();
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
    this.kind[i] = kind;
  }

  /** Removes the earliest need; its slot and kind land in poppedSlot / poppedKind. */
  pop(): number {
    const t = this.time[0]!;
    this.poppedSlot = this.slot[0]!;
    this.poppedKind = this.kind[0] as NeedKind;
    const last = --this.n;
    if (last > 0) {
      const lt = this.time[last]!;
      const ls = this.seq[last]!;
      const lslot = this.slot[last]!;
      const lkind = this.kind[last]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        if (c + 1 < last && this.before(c + 1, c)) c++;
        const ct = this.time[c]!;
        if (lt < ct || (lt === ct && ls < this.seq[c]!)) break;
        this.move(c, i);
        i = c;
      }
      this.time[i] = lt;
      this.seq[i] = ls;
      this.slot[i] = lslot;
      this.kind[i] = lkind;
    }
    return t;
  }

  private before(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && this.seq[a]! < this.seq[b]!);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.slot[to] = this.slot[from]!;
    this.kind[to] = this.kind[from]!;
  }

  private grow(): void {
    const c = this.time.length * 2;
    const t = new Float64Array(c);
    t.set(this.time);
    const s = new Float64Array(c);
    s.set(this.seq);
    const sl = new Uint32Array(c);
    sl.set(this.slot);
    const k = new Uint8Array(c);
    k.set(this.kind);
    this.time = t;
    this.seq = s;
    this.slot = sl;
    this.kind = k;
  }
}
