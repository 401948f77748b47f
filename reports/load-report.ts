/**
 * The Report of `pitsim load`: the same shape as `pitsim run`'s (built by the
 * same aggregate(), so thresholds read it the same way), marked
 * `meta.deterministic: false`, with two optional sections:
 *
 * - `endpoints`: per request template (`GET /fhir/Patient?identifier={system|value}`),
 *   requests, HTTP status counts, transport errors and latency (send to answer);
 * - `load`: what the generator planned, started and dropped (k6
 *   dropped_iterations), its lag warnings, interrupted flows, retries, and the
 *   service time of every request (flows' `latencyMs` count from the planned
 *   start instead: coordinated-omission corrected), and the client-side fault
 *   injection: `faulted` (flows an injected fault failed before any request)
 *   and `faults` (which of the scenario's faults were `injected`, which
 *   `notApplicable` and why, flows `failed` per fault, `rerouted`, `noSite`).
 *
 * The report's own `faults` section lists the injected faults' windows and
 * active time within the load window; `meta.faultSpecs` all of them as written.
 */
import { Histogram, type EncodedHistogram } from '../engine/index.ts';
import type { EndpointTally, LoadResult } from '../agents/adapters/index.ts';
import { aggregate } from './aggregate.ts';
import type { LatencyReport, Report, ReportMeta } from './report.ts';

export interface EndpointReport {
  requests: number;
  statusCounts: Record<string, number>;
  errors: Record<string, number>;
  latencyMs: LatencyReport;
}

export interface LoadSection {
  planned: number;
  started: number;
  dropped: number;
  lagWarnings: number;
  maxLagMs: number;
  interrupted: number;
  requests: number;
  retries: number;
  notOffered: number;
  unbound: number;
  faulted: number;
  faults: { injected: string[]; notApplicable: Record<string, string>; failed: Record<string, number>; rerouted: number; noSite: number };
  speed: number;
  maxInFlight: number;
  window: { fromMs: number; toMs: number };
  serviceTimeMs: LatencyReport;
}

export type LoadReport = Report & {
  endpoints?: Record<string, EndpointReport>;
  load?: LoadSection;
};

/** The Report of a load run; `meta` as for a run, less what aggregate() adds. */
export function loadReport(meta: Omit<ReportMeta, 'replications' | 'patients' | 'deterministic'>, scenarioFile: string, result: LoadResult): LoadReport {
  const wallMs = Math.round(result.wallMs);
  const base = aggregate(
    { ...meta, deterministic: false },
    {
      scenarioFile,
      workers: 1,
      startedAt: result.startedAt,
      wallMs,
      events: result.load.requests,
      eventsPerSec: wallMs > 0 ? Math.round((result.load.requests / wallMs) * 1000) : 0,
      partial: result.partial,
      replicationsDone: 1,
    },
    [result.replication],
  );
  const endpoints: Record<string, EndpointReport> = {};
  for (const [k, e] of Object.entries(result.endpoints)) endpoints[k] = endpointReport(e);
  const l = result.load;
  return {
    ...base,
    endpoints,
    load: {
      planned: l.planned,
      started: l.started,
      dropped: l.dropped,
      lagWarnings: l.lagWarnings,
      maxLagMs: l.maxLagMs,
      interrupted: l.interrupted,
      requests: l.requests,
      retries: l.retries,
      notOffered: l.notOffered,
      unbound: l.unbound,
      faulted: l.faulted,
      faults: { injected: [...l.faults.injected], notApplicable: { ...l.faults.notApplicable }, failed: { ...l.faults.failed }, rerouted: l.faults.rerouted, noSite: l.faults.noSite },
      speed: l.speed,
      maxInFlight: l.maxInFlight,
      window: { ...l.window },
      serviceTimeMs: latencyReport(l.serviceTime),
    },
  };
}

export function endpointReport(e: EndpointTally): EndpointReport {
  return { requests: e.requests, statusCounts: { ...e.statusCounts }, errors: { ...e.errors }, latencyMs: latencyReport(e.latency) };
}

/** Percentiles of one histogram (one run: no intervals). */
export function latencyReport(e: EncodedHistogram): LatencyReport {
  const s = Histogram.decode(e).summary();
  return { count: s.count, mean: ms(s.mean), p50: ms(s.p50), p90: ms(s.p90), p95: ms(s.p95), p99: ms(s.p99), max: ms(s.max), ci95: { mean: null, p50: null, p95: null, p99: null } };
}

const ms = (x: number): number => Math.round(x * 1000) / 1000;
