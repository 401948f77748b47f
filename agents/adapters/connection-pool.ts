/**
 * A keep-alive connection pool for one origin: one undici 7 Client per
 * connection and pitsim's own dispatch. A request goes to an idle connection
 * (the most recently freed, so a light load keeps reusing warm sockets) or
 * waits in one FIFO queue until a connection frees, as undici's Pool does.
 * Invariants: at most one request per connection (no pipelining), and the
 * owner calls `release(slot)` exactly once per dispatched request.
 *
 * Why not undici's Pool: its dispatch re-balances over its clients and wraps
 * each handler on every request; on loopback that cost about 1.5 µs of client
 * CPU a request, ~12 % of the whole (bench:load), which a load generator
 * cannot spare. Clients connect lazily, on their first request.
 */
import { Client, type Dispatcher } from 'undici';

/**
 * An undici (legacy-style: onConnect, onHeaders, onData, onComplete, onError)
 * dispatch handler that learns which connection carries it, so it can release it.
 */
export interface SlotHandler {
  slot: number;
  onError(err: Error): void;
}

export type ClientOptions = ConstructorParameters<typeof Client>[1];

export class ConnectionPool {
  private readonly clients: Client[];
  /** Idle connection slots, used as a stack. */
  private readonly idle: number[] = [];
  private readonly queuedOpts: Dispatcher.DispatchOptions[] = [];
  private readonly queuedHandlers: (SlotHandler)[] = [];
  private head = 0;

  constructor(origin: string, connections: number, options: ClientOptions) {
    this.clients = [];
    for (let i = 0; i < connections; i++) {
      this.clients.push(new Client(origin, { ...options, pipelining: 1 }));
      this.idle.push(connections - 1 - i);
    }
  }

  /** Sends now on an idle connection, or queues (FIFO) until one is released. */
  dispatch(opts: Dispatcher.DispatchOptions, handler: SlotHandler): void {
    const slot = this.idle.pop();
    if (slot === undefined) {
      this.queuedOpts.push(opts);
      this.queuedHandlers.push(handler);
      return;
    }
    this.send(slot, opts, handler);
  }

  /** The request on `slot` is over: the next queued one takes the connection. */
  release(slot: number): void {
    if (this.head < this.queuedOpts.length) {
      const opts = this.queuedOpts[this.head]!;
      const handler = this.queuedHandlers[this.head]!;
      this.head++;
      if (this.head === this.queuedOpts.length) this.compact();
      else if (this.head >= 1024 && this.head * 2 >= this.queuedOpts.length) this.dropServed();
      this.send(slot, opts, handler);
      return;
    }
    this.idle.push(slot);
  }

  /** Closes every connection; queued requests fail with `reason` (their handlers' onError). */
  async destroy(reason: Error): Promise<void> {
    const handlers = this.queuedHandlers.slice(this.head);
    this.queuedOpts.length = 0;
    this.queuedHandlers.length = 0;
    this.head = 0;
    for (const h of handlers) h.onError(reason);
    await Promise.all(this.clients.map((c) => c.destroy(reason)));
  }

  private send(slot: number, opts: Dispatcher.DispatchOptions, handler: SlotHandler): void {
    handler.slot = slot;
    try {
      this.clients[slot]!.dispatch(opts, handler as unknown as Dispatcher.DispatchHandler);
    } catch (err) {
      // A destroyed client throws synchronously: the handler settles (and releases) through onError.
      handler.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** A queue that never empties under sustained overload must not keep its served entries forever. */
  private dropServed(): void {
    this.queuedOpts.splice(0, this.head);
    this.queuedHandlers.splice(0, this.head);
    this.head = 0;
  }

  private compact(): void {
    this.queuedOpts.length = 0;
    this.queuedHandlers.length = 0;
    this.head = 0;
  }
}
