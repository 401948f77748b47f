/**
 * Events: the one thing processes wait on. An event goes pending -> triggered
 * (outcome fixed, entry in the schedule) -> processed (waiters woken, in the
 * order they started waiting). An event triggers once. A failed event that no
 * waiter took and nobody defused fails the whole run when it is processed.
 */
import type { Simulation } from './simulation.ts';
import { KernelError } from './errors.ts';

export const PENDING = 0;
export const TRIGGERED = 1;
export const PROCESSED = 2;
export type EventState = typeof PENDING | typeof TRIGGERED | typeof PROCESSED;

/** Scheduling priority: URGENT entries run before NORMAL ones at the same time. */
export const URGENT = 0;
export const NORMAL = 1;

/** Something woken when an event is processed (a process, a condition, a callback). */
export interface Waiter {
  _wake(ev: Event): void;
}

class CallbackWaiter implements Waiter {
  constructor(private readonly fn: (ev: Event) => void) {}
  _wake(ev: Event): void {
    this.fn(ev);
  }
}

// Event's fields are declared, then assigned in the constructor, not written as
// class fields with initialisers: every event kind (Timeout, Process, Request,
// Condition...) runs Event's initialiser, which V8 (Node 20) then executes as a
// megamorphic define-property per field, a third of a replication's time. Plain
// assignments in the constructor are ordinary stores: fi-ee ran ~40 % faster.
export class Event<V = unknown> {
  declare readonly sim: Simulation;
  /** Creation order within the simulation; stable across runs of the same model. */
  declare readonly id: number;
  /** @internal */ declare _state: EventState;
  /** @internal */ declare _ok: boolean;
  /** @internal */ declare _value: unknown;
  /** @internal */ declare _defused: boolean;
  // The first waiter lives in a field so the common single-waiter case allocates nothing.
  /** @internal */ declare _w0: Waiter | null;
  /** @internal */ declare _wn: Waiter[] | null;

  constructor(sim: Simulation) {
    this.sim = sim;
    this.id = sim._nextId++;
    this._state = PENDING;
    this._ok = true;
    this._value = undefined;
    this._defused = false;
    this._w0 = null;
    this._wn = null;
  }

  /** Short name of the event type, used by traces and error messages. */
  get kind(): string {
    return 'event';
  }

  get triggered(): boolean {
    return this._state !== PENDING;
  }

  get processed(): boolean {
    return this._state === PROCESSED;
  }

  /** True when the event succeeded (meaningful once triggered). */
  get ok(): boolean {
    if (this._state === PENDING) throw new KernelError(`${this.describe()} is not yet triggered`, 'read ok after the event triggered');
    return this._ok;
  }

  /** The success value or the failure reason. */
  get value(): V {
    if (this._state === PENDING) throw new KernelError(`${this.describe()} has no value yet`, 'read value after the event triggered');
    return this._value as V;
  }

  get defused(): boolean {
    return this._defused;
  }

  /** Marks a failure as handled so processing it does not fail the run. */
  defuse(): this {
    this._defused = true;
    return this;
  }

  succeed(value?: V, priority: number = NORMAL): this {
    this.assertPending('succeed');
    this._ok = true;
    this._value = value;
    this.sim._schedule(this, 0, priority);
    return this;
  }

  fail(reason: unknown, priority: number = NORMAL): this {
    this.assertPending('fail');
    this._ok = false;
    this._value = reason;
    this.sim._schedule(this, 0, priority);
    return this;
  }

  /** Copies the outcome of a triggered event onto this one. */
  trigger(from: Event): this {
    if (from._state === PENDING) throw new KernelError('cannot copy the outcome of a pending event', 'wait until the source event triggered');
    return from._ok ? this.succeed(from._value as V) : this.fail(from._value);
  }

  /** Calls fn when the event is processed. Throws if it already was. */
  onProcessed(fn: (ev: Event<V>) => void): this {
    this._addWaiter(new CallbackWaiter(fn as (ev: Event) => void));
    return this;
  }

  describe(): string {
    return `${this.kind}#${this.id}`;
  }

  /** @internal */
  _addWaiter(w: Waiter): void {
    if (this._state === PROCESSED) {
      throw new KernelError(`${this.describe()} was already processed`, 'add waiters before the event is processed, or read its value directly');
    }
    if (this._w0 === null) this._w0 = w;
    else if (this._wn === null) this._wn = [w];
    else this._wn.push(w);
  }

  /** @internal Removes a waiter (interrupts, conditions that resolved). */
  _removeWaiter(w: Waiter): void {
    if (this._w0 === w) {
      const rest = this._wn;
      this._w0 = rest !== null && rest.length > 0 ? rest.shift()! : null;
      return;
    }
    if (this._wn !== null) {
      const i = this._wn.indexOf(w);
      if (i >= 0) this._wn.splice(i, 1);
    }
  }

  /** @internal Called by the simulation when the entry is popped. */
  _process(): void {
    this._state = PROCESSED;
    const w0 = this._w0;
    if (w0 !== null) {
      const wn = this._wn;
      this._w0 = null;
      this._wn = null;
      w0._wake(this);
      if (wn !== null) for (let i = 0; i < wn.length; i++) wn[i]!._wake(this);
    }
  }

  private assertPending(what: string): void {
    if (this._state !== PENDING) {
      throw new KernelError(`cannot ${what} ${this.describe()}: it already triggered`, 'an event triggers exactly once; create a new event');
    }
  }
}

/** An event that triggers by itself after a delay. */
export class Timeout<V = unknown> extends Event<V> {
  // A class field on purpose: declared like Event's, V8 re-optimised
  // Simulation.timeout without end (each attempt aborted on a map dependency).
  readonly delay: number;
  constructor(sim: Simulation, delay: number, value?: V) {
    super(sim);
    if (!(delay >= 0)) {
      throw new KernelError(`timeout delay must be a non-negative number of ms, got ${delay}`, 'check the distribution that produced the delay');
    }
    this.delay = delay;
    this._ok = true;
    this._value = value;
    sim._schedule(this, delay, NORMAL);
  }

  override get kind(): string {
    return 'timeout';
  }
}
