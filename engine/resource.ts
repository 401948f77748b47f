/**
 * Resources: `capacity` identical servers shared by processes. request() returns
 * an event that succeeds when a server is granted; release() frees it at once
 * and grants the next waiter. Resource serves waiters FIFO; PriorityResource by
 * (priority, arrival), lower priority value first. Releasing a request still
 * queued cancels it. Statistics are time integrals updated on every change.
 */
import { Event, PENDING } from './event.ts';
import { KernelError } from './errors.ts';
import type { Simulation } from './simulation.ts';

export class Request extends Event<Request> {
  /** @internal */ _granted = false;
  /** @internal */ _done = false; // released or cancelled
  readonly requestedAt: number;
  grantedAt = -1;

  constructor(
    readonly resource: Resource,
    readonly priority: number,
    /** @internal arrival order at this resource */ readonly order: number,
  ) {
    super(resource.sim);
    this.requestedAt = resource.sim.now;
  }

  override get kind(): string {
    return 'request';
  }

  get granted(): boolean {
    return this._granted;
  }
}

/** Whatever takes the waits (engine Histogram fits). */
export interface WaitRecorder {
  record(waitMs: number): void;
}

export interface ResourceStats {
  capacity: number;
  /** Time-average share of servers busy, 0..1, over the observed span. */
  utilisation: number;
  /** Time-average number of waiting requests. */
  meanQueueLength: number;
  maxQueueLength: number;
  /** Requests granted and their mean wait (ms) from request to grant. */
  granted: number;
  meanWaitMs: number;
  /** Span the statistics cover, ms. */
  observedMs: number;
}

export class Resource {
  readonly sim: Simulation;
  readonly capacity: number;
  /**
   * Given each grant's wait in ms (a histogram); null when unused. An object,
   * not a callback: V8 (Node 20) keeps a closure once stored into an object's
   * field, and all its scope reaches, alive through young-generation GCs until
   * the next full GC, so a per-run callback here kept every finished run, typed
   * arrays and all, in memory (test/agents/retention.test.ts).
   */
  waitRecorder: WaitRecorder | null = null;
  protected users = 0;
  protected waiting = 0;
  private fifo: (Request | undefined)[] = [];
  private head = 0;
  private orderSeq = 0;
  // statistics
  private statsFrom: number;
  private lastChange: number;
  private busyArea = 0;
  private queueArea = 0;
  private maxQueue = 0;
  private grants = 0;
  private waitSum = 0;

  constructor(sim: Simulation, capacity = 1) {
    if (!(Number.isInteger(capacity) && capacity >= 1) && capacity !== Infinity) {
      throw new KernelError(`resource capacity must be a whole number >= 1 (or Infinity), got ${capacity}`, 'set the capacity to the number of servers, staff or lines');
    }
    this.sim = sim;
    this.capacity = capacity;
    this.statsFrom = sim.now;
    this.lastChange = sim.now;
  }

  /** Servers in use. */
  get count(): number {
    return this.users;
  }

  /** Requests waiting for a server. */
  get queueLength(): number {
    return this.waiting;
  }

  /** Asks for one server; lower `priority` values are served first by PriorityResource. */
  request(priority = 0): Request {
    const req = new Request(this, priority, this.orderSeq++);
    if (this.users < this.capacity && this.waiting === 0) {
      this.account();
      this.grant(req);
    } else {
      this.account();
      this.enqueue(req);
      this.waiting++;
      if (this.waiting > this.maxQueue) this.maxQueue = this.waiting;
    }
    return req;
  }

  /** Frees the server held by `req`, or withdraws it from the queue if not yet granted. */
  release(req: Request): void {
    if (req.resource !== this) throw new KernelError('release() of a request made to another resource', 'release a request on the resource that issued it');
    if (req._done) return;
    req._done = true;
    this.account();
    if (!req._granted) {
      this.waiting--;
      return; // lazily skipped when it reaches the head of the queue
    }
    this.users--;
    while (this.waiting > 0 && this.users < this.capacity) {
      const next = this.dequeue();
      if (next === undefined) break;
      if (next._done) continue;
      this.waiting--;
      this.grant(next);
    }
  }

  /** Statistics since construction or the last resetStats(). */
  stats(): ResourceStats {
    this.account();
    const span = this.sim.now - this.statsFrom;
    return {
      capacity: this.capacity,
      utilisation: span > 0 && this.capacity !== Infinity ? this.busyArea / (span * this.capacity) : 0,
      meanQueueLength: span > 0 ? this.queueArea / span : 0,
      maxQueueLength: this.maxQueue,
      granted: this.grants,
      meanWaitMs: this.grants > 0 ? this.waitSum / this.grants : 0,
      observedMs: span,
    };
  }

  /** Starts a fresh observation window (after a warm-up, say). */
  resetStats(): void {
    this.statsFrom = this.lastChange = this.sim.now;
    this.busyArea = this.queueArea = this.waitSum = 0;
    this.grants = 0;
    this.maxQueue = this.waiting;
  }

  protected enqueue(req: Request): void {
    this.fifo.push(req);
  }

  protected dequeue(): Request | undefined {
    const fifo = this.fifo;
    if (this.head >= fifo.length) return undefined;
    const req = fifo[this.head];
    fifo[this.head++] = undefined;
    // Compact once the consumed prefix dominates, so memory follows the live queue.
    if (this.head > 1024 && this.head * 2 > fifo.length) {
      this.fifo = fifo.slice(this.head);
      this.head = 0;
    }
    return req;
  }

  private grant(req: Request): void {
    this.users++;
    req._granted = true;
    req.grantedAt = this.sim.now;
    const wait = this.sim.now - req.requestedAt;
    this.grants++;
    this.waitSum += wait;
    if (this.waitRecorder !== null) this.waitRecorder.record(wait);
    if (req._state === PENDING) req.succeed(req);
  }

  private account(): void {
    const now = this.sim.now;
    const dt = now - this.lastChange;
    if (dt > 0) {
      this.busyArea += this.users * dt;
      this.queueArea += this.waiting * dt;
      this.lastChange = now;
    }
  }
}

/** A resource whose queue is ordered by (priority, arrival): lower priority values first. */
export class PriorityResource extends Resource {
  private heap: Request[] = [];

  protected override enqueue(req: Request): void {
    const h = this.heap;
    let i = h.length;
    h.push(req);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(req, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = req;
  }

  protected override dequeue(): Request | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= h.length) break;
        if (c + 1 < h.length && before(h[c + 1]!, h[c]!)) c++;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: Request, b: Request): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.order < b.order);
}
