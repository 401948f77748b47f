/**
 * Processes: generator functions driven by the kernel. A process yields an Event
 * (resumed when it is processed, with its value, or with its failure thrown in)
 * or a number (sleep that many ms: the allocation-free timeout). A process is
 * itself an event that triggers with the generator's return value or its error.
 * At most one pending wait per process; an interrupt cancels it.
 */
import { Event, NORMAL, PENDING, PROCESSED, URGENT, type Waiter } from './event.ts';
import { Interrupt, KernelError } from './errors.ts';
import type { Simulation } from './simulation.ts';

/** What a process may yield: an event to wait for, or a delay in ms. */
export type Yieldable = Event | number;
/** The generator behind a process. What `yield` returns is the awaited event's value. */
export type ProcessGenerator<R = unknown> = Generator<Yieldable, R, unknown>;

export class Process<R = unknown> extends Event<R> implements Waiter {
  readonly name: string;
  private readonly gen: ProcessGenerator<R>;
  /** @internal the event this process waits on, null while sleeping or running */
  _target: Event | null = null;
  /** @internal schedule key of the pending sleep, -1 when not sleeping */
  _sleepKey = -1;
  /** @internal */ _started = false;

  constructor(sim: Simulation, gen: ProcessGenerator<R>, name?: string) {
    super(sim);
    if (gen === null || typeof gen !== 'object' || typeof gen.next !== 'function') {
      throw new KernelError('process() needs a generator object', 'call the generator function: sim.process(customer()), not sim.process(customer)');
    }
    this.gen = gen;
    this.name = name ?? `process#${this.id}`;
    // Start at the current time, before ordinary events already scheduled for it.
    this._sleepKey = sim._scheduleWake(this, 0, URGENT);
  }

  override get kind(): string {
    return 'process';
  }

  override describe(): string {
    return this.name;
  }

  /** True until the generator returned or threw. */
  get isAlive(): boolean {
    return this._state === PENDING;
  }

  /** The event this process currently waits on (null while sleeping, running or done). */
  get target(): Event | null {
    return this._target;
  }

  /**
   * Throws an Interrupt(reason) into the process at the current time, cancelling
   * what it waits on. Resources it requested stay requested: release them in a catch.
   */
  interrupt(reason?: unknown): void {
    if (this._state !== PENDING) {
      throw new KernelError(`cannot interrupt ${this.name}: it has terminated`, 'check process.isAlive first');
    }
    if (this.sim.activeProcess === this) {
      throw new KernelError(`${this.name} cannot interrupt itself`, 'throw an error instead');
    }
    new Interruption(this.sim, this, reason);
  }

  /** @internal woken by the event it waited on */
  _wake(ev: Event): void {
    this._target = null;
    if (!ev._ok) ev._defused = true;
    this._resume(ev._ok, ev._value);
  }

  /** @internal drops the current wait, if any */
  _detach(): void {
    if (this._target !== null) {
      this._target._removeWaiter(this);
      this._target = null;
    }
    this._sleepKey = -1;
  }

  /** @internal advances the generator until it waits again or ends. */
  _resume(ok: boolean, value: unknown): void {
    const sim = this.sim;
    const gen = this.gen;
    const prev = sim.activeProcess;
    sim.activeProcess = this;
    this._started = true;
    for (;;) {
      let r: IteratorResult<Yieldable, R>;
      try {
        r = ok ? gen.next(value) : gen.throw(value);
      } catch (err) {
        sim.activeProcess = prev;
        this._ok = false;
        this._value = err;
        sim._schedule(this, 0, NORMAL);
        return;
      }
      if (r.done === true) {
        sim.activeProcess = prev;
        this._ok = true;
        this._value = r.value;
        if (this._w0 === null) {
          // Nobody waits: mark processed now instead of paying a schedule round trip.
          this._state = PROCESSED;
          if (sim._trace !== null) sim._trace.record(sim.now, 'process', this.id);
        } else {
          sim._schedule(this, 0, NORMAL);
        }
        return;
      }
      const y = r.value;
      if (typeof y === 'number') {
        if (y >= 0) {
          this._sleepKey = sim._scheduleWake(this, y, NORMAL);
          break;
        }
        ok = false;
        value = new KernelError(`${this.name} yielded a delay of ${y} ms`, 'a delay must be a non-negative number of ms');
        continue;
      }
      if (y instanceof Event) {
        if (y._state !== PROCESSED) {
          y._addWaiter(this);
          this._target = y;
          break;
        }
        // Already processed: continue at once with its outcome.
        ok = y._ok;
        value = y._value;
        if (!ok) y._defused = true;
        continue;
      }
      ok = false;
      value = new KernelError(
        `${this.name} yielded ${describeValue(y)}`,
        'yield an event (sim.timeout(ms), another process, resource.request(), store.get(), anyOf/allOf) or a delay in ms',
      );
    }
    sim.activeProcess = prev;
  }
}

/** The scheduled delivery of an interrupt; it outranks ordinary events at the same time. */
class Interruption extends Event<void> {
  constructor(
    sim: Simulation,
    private readonly target: Process,
    private readonly reason: unknown,
  ) {
    super(sim);
    this._ok = true;
    sim._schedule(this, 0, URGENT);
  }

  override get kind(): string {
    return 'interrupt';
  }

  override _process(): void {
    this._state = PROCESSED;
    const p = this.target;
    if (p._state !== PENDING) return; // ended before the interrupt arrived
    p._detach();
    p._resume(false, new Interrupt(this.reason));
  }
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v)}`;
}
