/**
 * What a load run hands back to cli/ and reports/: a ReplicationResult of the
 * usual shape (flows, iot, and the windows of the faults injected on the
 * client side; no nodes or security tallies: the real gateway is the system
 * under test), per-endpoint request tallies, and the load generator's own
 * tallies (planned, started, dropped, lag, service time, faulted flows).
 * Also the recorders that fill the endpoint tallies. Everything here depends
 * on the wall clock: a load run is not deterministic.
 */
import { Histogram, type EncodedHistogram } from '../../engine/index.ts';
import type { ReplicationResult } from '../result.ts';

export interface EndpointTally {
  /** Requests sent (answered or not; aborted ones excluded). */
  readonly requests: number;
  /** HTTP status -> count, of the answered requests. */
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Transport failure reason -> count (TIMEOUT, ERROR_GENERIC_CONNECTION_NOT_POSSIBLE, ...). */
  readonly errors: Readonly<Record<string, number>>;
  /** Send to end of the answer (or to the failure), ms. */
  readonly latency: EncodedHistogram;
}

export interface LoadTally {
  /** Flow starts that came due within the run (after the window and bindings were applied). */
  readonly planned: number;
  readonly started: number;
  /** Starts that could not happen on time: --max-in-flight flows were outstanding (k6 dropped_iterations). */
  readonly dropped: number;
  /** Times the generator itself fell behind schedule by more than the lag limit (at most one per second). */
  readonly lagWarnings: number;
  /** Largest lateness of a start, ms. */
  readonly maxLagMs: number;
  /** Flows cut short when the run stopped (counted as INTERRUPTED failures). */
  readonly interrupted: number;
  readonly requests: number;
  /** Extra attempts after a retryable failure. */
  readonly retries: number;
  /** Flows in the window not sent: a country does not offer the service. */
  readonly notOffered: number;
  /** Flows in the window not sent: their path reaches no bound node (also when a closed point of care sent the patient to an unbound one). */
  readonly unbound: number;
  /** Flows an injected fault failed before any request: in the flows' failures, never in the endpoint tallies. */
  readonly faulted: number;
  /** The scenario's faults in this run (load-faults.ts). */
  readonly faults: LoadFaultTally;
  readonly speed: number;
  readonly maxInFlight: number;
  /** The simulated window planned, ms since the scenario epoch. */
  readonly window: { readonly fromMs: number; readonly toMs: number };
  /** Service time of every request (actual send to answer), ms. */
  readonly serviceTime: EncodedHistogram;
}

/** Client-side fault injection: which faults were applied, which not and why, and what they did. */
export interface LoadFaultTally {
  /** Ids of the faults applied, in declaration order (their windows within the load window are the report's `faults`). */
  readonly injected: readonly string[];
  /** Fault id -> why load mode does not apply it (no effect on any flow). */
  readonly notApplicable: Readonly<Record<string, string>>;
  /** Applied fault id -> flows it failed before any request (sums to `faulted`). */
  readonly failed: Readonly<Record<string, number>>;
  /** Flows whose point of care was closed, sent through another open one (as the simulator's patients walk on). */
  readonly rerouted: number;
  /** Flows not started because every point of care of their kind in B was closed (recorded as the simulator does: an outcome, no attempt). */
  readonly noSite: number;
}

export interface LoadResult {
  readonly replication: ReplicationResult;
  readonly endpoints: Readonly<Record<string, EndpointTally>>;
  readonly load: LoadTally;
  /** ISO instant the schedule started. */
  readonly startedAt: string;
  readonly wallMs: number;
  /** Stopped early by the caller's signal (Ctrl-C). */
  readonly partial: boolean;
}

/** HTTP statuses 100 to 599 are counted in an array; anything else (a nonstandard code) in a map. */
const STATUS_MIN = 100;
const STATUS_MAX = 599;

class EndpointRecorder {
  requests = 0;
  /** By HTTP status as a number, minus STATUS_MIN: no number-to-string conversion or hashing per request. */
  readonly status = new Float64Array(STATUS_MAX - STATUS_MIN + 1);
  readonly otherStatus = new Map<number, number>();
  readonly errors = new Map<string, number>();
  readonly latency = new Histogram();

  countStatus(status: number): void {
    if (status >= STATUS_MIN && status <= STATUS_MAX) this.status[status - STATUS_MIN]!++;
    else this.otherStatus.set(status, (this.otherStatus.get(status) ?? 0) + 1);
  }

  /** Status -> count; integer keys, so a record lists them in ascending order whatever the insertion order. */
  statusCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < this.status.length; i++) if (this.status[i]! > 0) out[i + STATUS_MIN] = this.status[i]!;
    for (const [s, n] of this.otherStatus) out[s] = n;
    return out;
  }
}

/**
 * Per endpoint (`GET /fhir/Patient?identifier={system|value}`) request tallies.
 * The run's service time is their latencies merged, not a histogram recorded
 * beside them: one record per request, not two.
 */
export class EndpointStats {
  private readonly byKey = new Map<string, EndpointRecorder>();

  private get(key: string): EndpointRecorder {
    let r = this.byKey.get(key);
    if (r === undefined) {
      r = new EndpointRecorder();
      this.byKey.set(key, r);
    }
    return r;
  }

  answered(key: string, status: number, ms: number): void {
    const r = this.get(key);
    r.requests++;
    r.countStatus(status);
    r.latency.record(ms);
  }

  failed(key: string, reason: string, ms: number): void {
    const r = this.get(key);
    r.requests++;
    bump(r.errors, reason);
    r.latency.record(ms);
  }

  encode(): Record<string, EndpointTally> {
    const out: Record<string, EndpointTally> = {};
    for (const k of [...this.byKey.keys()].sort()) {
      const r = this.byKey.get(k)!;
      out[k] = { requests: r.requests, statusCounts: r.statusCounts(), errors: sorted(r.errors), latency: r.latency.encode() };
    }
    return out;
  }

  /** Every request's time (send to answer or failure), all endpoints together. */
  serviceTime(): Histogram {
    const all = new Histogram();
    for (const k of [...this.byKey.keys()].sort()) all.merge(this.byKey.get(k)!.latency);
    return all;
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function sorted(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = m.get(k)!;
  return out;
}
