/**
 * The simulation: a clock in ms and one schedule. step() pops the earliest entry
 * (time, then priority, then insertion order) and processes it; nothing else
 * moves the clock. The kernel never reads the wall clock, never draws random
 * numbers on its own and does no I/O: a run is a pure function of its model.
 */
import { Condition } from './condition.ts';
import { Event, NORMAL, type Waiter } from './event.ts';
import { Timeout } from './event.ts';
import { EventQueue } from './event-queue.ts';
import { KernelError, UnhandledFailureError } from './errors.ts';
import { Process, type ProcessGenerator } from './process.ts';
import type { TraceSink } from './trace.ts';

/** Priority offset in a schedule key: key = ((priority * 2^49) + seq) * 2 + kind. */
const PRIORITY_STRIDE = 2 ** 49;

export interface SimulationOptions {
  /** Clock value at start, ms (default 0). */
  initialTime?: number;
  /** Receives (time, kind, id) per processed event; off (null) by default. */
  trace?: TraceSink | null;
  /** Initial schedule capacity; it grows as needed. */
  queueCapacity?: number;
}

export class Simulation {
  /** Current simulated time, ms since the scenario epoch. */
  now: number;
  /** The process being resumed right now, if any. */
  activeProcess: Process | null = null;
  /** @internal id counter for events */
  _nextId = 0;
  /** Entries processed so far (stale wake-ups excluded). */
  processedCount = 0;
  /** @internal */
  _trace: TraceSink | null;
  private seq = 0;
  private readonly queue: EventQueue<Event>;

  constructor(options: SimulationOptions = {}) {
    this.now = options.initialTime ?? 0;
    this._trace = options.trace ?? null;
    this.queue = new EventQueue<Event>(options.queueCapacity ?? 1024);
  }

  /** A new pending event, triggered by hand with succeed()/fail(). */
  event<V = unknown>(): Event<V> {
    return new Event<V>(this);
  }

  /** An event that succeeds with `value` after `delay` ms. */
  timeout<V = unknown>(delay: number, value?: V): Timeout<V> {
    return new Timeout<V>(this, delay, value);
  }

  /** Starts a process from a generator object; it runs from the current time. */
  process<R>(gen: ProcessGenerator<R>, name?: string): Process<R> {
    return new Process<R>(this, gen, name);
  }

  /** Triggers when every event succeeded; fails on the first failure. */
  allOf(events: readonly Event[]): Condition {
    return new Condition(this, events, 'all');
  }

  /** Triggers when the first event succeeded; fails on the first failure. */
  anyOf(events: readonly Event[]): Condition {
    return new Condition(this, events, 'any');
  }

  /** Time of the next scheduled entry, Infinity when nothing is scheduled. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Number of scheduled entries (stale wake-ups of interrupted sleeps included). */
  get scheduled(): number {
    return this.queue.size;
  }

  /** Sets or clears the trace sink. */
  setTrace(sink: TraceSink | null): void {
    this._trace = sink;
  }

  /** Processes the next entry. Throws when nothing is scheduled or a failure went unhandled. */
  step(): void {
    const q = this.queue;
    if (q.size === 0) throw new KernelError('step() with nothing scheduled', 'check sim.peek() !== Infinity before stepping');
    const item = q.pop();
    const key = q.poppedKey;
    if (key % 2 === 1) {
      // A process sleep ends (or starts). Stale if an interrupt cancelled it:
      // then it is dropped without moving the clock.
      const p = item as Process;
      if (p._sleepKey !== key) return;
      this.now = q.poppedTime;
      this.processedCount++;
      p._sleepKey = -1;
      if (this._trace !== null) this._trace.record(this.now, p._started ? 'wake' : 'start', p.id);
      p._resume(true, undefined);
      return;
    }
    this.now = q.poppedTime;
    this.processedCount++;
    if (this._trace !== null) this._trace.record(this.now, item.kind, item.id);
    item._process();
    if (!item._ok && !item._defused) throw new UnhandledFailureError(item.describe(), this.now, item._value);
  }

  /**
   * Runs until the schedule is empty, until simulated time `until` (entries at
   * exactly `until` stay scheduled and the clock ends at `until`), or until an
   * event is processed (returns its value, throws its failure).
   */
  run(until?: number | Event): unknown {
    const q = this.queue;
    if (until === undefined) {
      while (q.size > 0) this.step();
      return undefined;
    }
    if (typeof until === 'number') {
      if (!(until >= this.now)) {
        throw new KernelError(`run(until=${until}) is before the current time ${this.now}`, 'pass a time at or after sim.now');
      }
      while (q.size > 0 && q.peekTime() < until) this.step();
      this.now = until;
      return undefined;
    }
    while (until._state !== 2) {
      if (q.size === 0) {
        throw new KernelError(`the schedule ran empty before ${until.describe()} was processed`, 'the event is never triggered; check who should succeed() it');
      }
      this.step();
    }
    if (!until._ok) {
      until._defused = true;
      throw until._value;
    }
    return until._value;
  }

  /** @internal schedules an event entry */
  _schedule(ev: Event, delay: number, priority: number): void {
    ev._state = 1;
    this.queue.push(this.now + delay, (priority * PRIORITY_STRIDE + this.seq++) * 2, ev);
  }

  /** @internal schedules a process wake-up and returns its key */
  _scheduleWake(p: Process, delay: number, priority: number): number {
    const key = (priority * PRIORITY_STRIDE + this.seq++) * 2 + 1;
    this.queue.push(this.now + delay, key, p);
    return key;
  }
}

export { NORMAL };
export type { Waiter };
