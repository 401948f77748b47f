/**
 * The progress of a batch of replications as the pool reports it: the ones
 * in flight (index, events so far, simulated time) and the events of the
 * finished ones. Shared by the local run and the queue worker's segment, which
 * report it in their own shapes. Events only grow: a finished replication's
 * count replaces its in-flight one.
 */
import type { RunningReplication } from './run-replications.ts';

export class ProgressTally {
  private readonly running = new Map<number, RunningReplication>();
  private finishedEvents = 0;
  /** Replications finished. */
  done = 0;

  /** A progress message from replication `index`. */
  progress(index: number, events: number, simTimeMs: number): void {
    this.running.set(index, { index, events, simTimeMs });
  }

  /** Replication `index` finished with `events` events. */
  finished(index: number, events: number): void {
    this.running.delete(index);
    this.finishedEvents += events;
    this.done++;
  }

  /** Replication `index` stopped without a result. */
  dropped(index: number): void {
    this.running.delete(index);
  }

  /** Events of the finished replications plus those in flight. */
  get events(): number {
    let events = this.finishedEvents;
    for (const r of this.running.values()) events += r.events;
    return events;
  }

  /** The replications in flight, by index. */
  inFlight(): RunningReplication[] {
    return [...this.running.values()].sort((a, b) => a.index - b.index);
  }
}
