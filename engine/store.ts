/**
 * Stores: a FIFO mailbox of items with an optional capacity. put() succeeds once
 * the item is in; get() succeeds with the oldest item. Waiting getters and
 * putters are served in arrival order. cancel() withdraws a waiting get or put
 * (after a timeout won a race, say).
 */
import { Event, PENDING } from './event.ts';
import { KernelError } from './errors.ts';
import type { Simulation } from './simulation.ts';

export class StorePut<T> extends Event<void> {
  constructor(sim: Simulation, readonly item: T) {
    super(sim);
  }
  override get kind(): string {
    return 'put';
  }
}

export class StoreGet<T> extends Event<T> {
  override get kind(): string {
    return 'get';
  }
}

export class Store<T> {
  readonly sim: Simulation;
  readonly capacity: number;
  private items: T[] = [];
  private getters: StoreGet<T>[] = [];
  private putters: StorePut<T>[] = [];

  constructor(sim: Simulation, capacity = Infinity) {
    if (!(capacity >= 1)) throw new KernelError(`store capacity must be >= 1, got ${capacity}`, 'omit it for an unbounded store');
    this.sim = sim;
    this.capacity = capacity;
  }

  /** Items currently held. */
  get size(): number {
    return this.items.length;
  }

  /** A read-only view of the held items, oldest first. */
  peekAll(): readonly T[] {
    return this.items;
  }

  put(item: T): StorePut<T> {
    const ev = new StorePut<T>(this.sim, item);
    this.putters.push(ev);
    this.settle();
    return ev;
  }

  get(): StoreGet<T> {
    const ev = new StoreGet<T>(this.sim);
    this.getters.push(ev);
    this.settle();
    return ev;
  }

  /** Withdraws a get or put that has not been served yet; returns whether it was waiting. */
  cancel(ev: StoreGet<T> | StorePut<T>): boolean {
    if (ev._state !== PENDING) return false;
    const list: Event[] = ev instanceof StorePut ? this.putters : this.getters;
    const i = list.indexOf(ev);
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  private settle(): void {
    // Alternate until neither side can move: accept puts while there is room,
    // hand items to getters while there are items.
    for (;;) {
      let moved = false;
      while (this.putters.length > 0 && this.items.length < this.capacity) {
        const p = this.putters.shift()!;
        this.items.push(p.item);
        p.succeed();
        moved = true;
      }
      while (this.getters.length > 0 && this.items.length > 0) {
        const g = this.getters.shift()!;
        g.succeed(this.items.shift()!);
        moved = true;
      }
      if (!moved) return;
    }
  }
}
