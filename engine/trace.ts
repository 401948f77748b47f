/**
 * Traces: an optional sink told (time, kind, id) for every processed event.
 * TraceHash folds the stream into a 64-bit digest (two 32-bit FNV-1a lanes with
 * different offsets) that proves two runs processed the same events in the same
 * order. With no sink set the kernel pays one null check per event.
 */

export interface TraceSink {
  record(time: number, kind: string, id: number): void;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class TraceHash implements TraceSink {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x9e3779b9;
  count = 0;

  record(time: number, kind: string, id: number): void {
    f64[0] = time;
    this.mix(u32[0]!);
    this.mix(u32[1]!);
    for (let i = 0; i < kind.length; i++) this.mix(kind.charCodeAt(i));
    this.mix(id >>> 0);
    this.mix(0xff);
    this.count++;
  }

  /** 16 hex digits. */
  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }

  private mix(x: number): void {
    this.h1 = Math.imul(this.h1 ^ (x & 0xffff), 0x01000193);
    this.h1 = Math.imul(this.h1 ^ (x >>> 16), 0x01000193);
    this.h2 = Math.imul(this.h2 ^ x, 0x5bd1e995);
    this.h2 ^= this.h2 >>> 15;
  }
}

/** Keeps every entry; for tests and teaching, not for long runs. */
export class TraceLog implements TraceSink {
  readonly entries: [time: number, kind: string, id: number][] = [];
  record(time: number, kind: string, id: number): void {
    this.entries.push([time, kind, id]);
  }
}

/** Writes one JSON line per entry to an injected writer (the CLI owns the file). */
export class JsonLinesTrace implements TraceSink {
  constructor(private readonly write: (line: string) => void) {}
  record(time: number, kind: string, id: number): void {
    this.write(`{"t":${time},"kind":${JSON.stringify(kind)},"id":${id}}\n`);
  }
}

/** Sends every entry to several sinks, in order. */
export class TeeTrace implements TraceSink {
  constructor(private readonly sinks: readonly TraceSink[]) {}
  record(time: number, kind: string, id: number): void {
    for (const s of this.sinks) s.record(time, kind, id);
  }
}
