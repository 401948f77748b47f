/**
 * Conditions: an event over other events. AllOf triggers when every child
 * succeeded, AnyOf when the first did; either fails as soon as a child fails
 * (and takes that failure, so it is not reported twice). The value lists the
 * children that had succeeded when the condition triggered, in the given order.
 */
import { Event, PENDING, PROCESSED, type Waiter } from './event.ts';
import type { Simulation } from './simulation.ts';

/** The outcome of a condition: which children succeeded, and their values. */
export class ConditionValue {
  constructor(readonly events: readonly Event[]) {}
  has(ev: Event): boolean {
    return this.events.includes(ev);
  }
  get<V>(ev: Event<V>): V | undefined {
    return this.events.includes(ev) ? (ev._value as V) : undefined;
  }
  get size(): number {
    return this.events.length;
  }
}

export class Condition extends Event<ConditionValue> implements Waiter {
  private succeededCount = 0;

  constructor(
    sim: Simulation,
    readonly children: readonly Event[],
    private readonly mode: 'all' | 'any',
  ) {
    super(sim);
    for (const ev of children) {
      if (ev.sim !== sim) throw new Error('a condition cannot mix events of different simulations');
    }
    if (children.length === 0) {
      this.succeed(new ConditionValue([]));
      return;
    }
    for (const ev of children) {
      if (this._state !== PENDING) break;
      if (ev._state === PROCESSED) this._wake(ev);
      else ev._addWaiter(this);
    }
  }

  override get kind(): string {
    return this.mode === 'all' ? 'allOf' : 'anyOf';
  }

  /** @internal */
  _wake(ev: Event): void {
    if (this._state !== PENDING) return;
    if (!ev._ok) {
      ev._defused = true;
      this.detach();
      this.fail(ev._value);
      return;
    }
    this.succeededCount++;
    if (this.mode === 'any' || this.succeededCount === this.children.length) {
      this.detach();
      this.succeed(new ConditionValue(this.children.filter((c) => c._state === PROCESSED && c._ok)));
    }
  }

  private detach(): void {
    for (const ev of this.children) if (ev._state !== PROCESSED) ev._removeWaiter(this);
  }
}
