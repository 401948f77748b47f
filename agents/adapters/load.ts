/**
 * `pitsim load`: a scenario's traffic against real FHIR gateways, in real
 * time. Plans the flows of the simulated window [0, durationMs x speed)
 * (plan.ts), schedules them on the wall clock at `speed` simulated ms per
 * wall ms with the open-model generator (open-model.ts), runs each as FHIR
 * requests (flows.ts) through one keep-alive pool per endpoint (gateway.ts),
 * and returns a LoadResult: a ReplicationResult of the usual shape plus
 * per-endpoint and generator tallies. The scenario's faults act on the client
 * side (load-faults.ts): a flow they stop is decided before the clock starts
 * and recorded at its planned time without a request. Not deterministic: what
 * the gateway answers, and when, is the measurement.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { AdapterSpec } from '../../scenarios/adapter-spec.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { IotRecorder } from '../iot/index.ts';
import { FlowRecorders, SecurityRecorder } from '../recorders.ts';
import { FaultCounts, recordFaulted } from './faulted-flow.ts';
import { runFlow, type ExecContext } from './flows.ts';
import type { GatewayClient } from './gateway.ts';
import { Identities } from './identities.ts';
import { LoadFaults, type FaultVerdict } from './load-faults.ts';
import { runOpenModel, type OpenModelResult } from './open-model.ts';
import { planLoad, type PlannedFlow } from './plan.ts';
import { EndpointStats, type LoadResult } from './result.ts';
import { Bindings } from './routing.ts';

export interface LoadOptions {
  /** Simulated ms per wall ms (1000: a simulated second per wall ms). */
  readonly speed: number;
  /** Wall time during which flows start, ms. */
  readonly durationMs: number;
  /** Flows outstanding at most; a start beyond is dropped. */
  readonly maxInFlight: number;
  /** Simulated time the window starts at (default 0). */
  readonly fromMs?: number;
  /** Time outstanding flows get after durationMs before they are interrupted (default: the longest adapter timeout). */
  readonly gracefulStopMs?: number;
  /** Lateness that counts as the generator lagging, ms (default 100). */
  readonly lagWarnMs?: number;
  /** Builds the client of an endpoint (the CLI reads TLS files here). */
  connect(adapter: AdapterSpec): GatewayClient;
  onWarning?(message: string): void;
  /** About once a second while flows run. */
  onProgress?(p: { elapsedMs: number; planned: number; started: number; dropped: number; inFlight: number; requests: number }): void;
  /** Called once the plan is made, before the clock starts. */
  onPlan?(planned: { flows: number; notOffered: number; unbound: number; windowMs: [number, number] }): void;
  readonly signal?: AbortSignal;
}

export async function runLoad(spec: ScenarioSpec, options: LoadOptions): Promise<LoadResult> {
  const bindings = new Bindings(spec.adapters ?? {});
  const fromMs = options.fromMs ?? 0;
  const plan = planLoad(spec, bindings, fromMs, fromMs + options.durationMs * options.speed);
  options.onPlan?.({ flows: plan.flows.length, notOffered: plan.notOffered, unbound: plan.unbound, windowMs: [plan.fromMs, plan.toMs] });
  const identities = new Identities(spec);
  // Identities are made up front, so faker never runs while the clock does.
  for (const f of plan.flows) identities.get(f.patient);
  const faults = new LoadFaults(spec, bindings, plan.fromMs, plan.toMs);
  const faultWarning = faults.warning();
  if (faultWarning !== null) options.onWarning?.(faultWarning);
  // Verdicts up front too (deterministic, and the clock never waits on them); only those that change a flow are kept.
  const verdicts = new Map<PlannedFlow, { readonly verdict: FaultVerdict; readonly rng: () => RandomStream }>();
  if (faults.injected.length > 0) {
    for (const f of plan.flows) {
      // The flow's own stream, forked: a fault's draws never shift the flow's others (readings, retry jitter).
      let s: RandomStream | undefined;
      const rng = (): RandomStream => (s ??= plan.rng.fork(f.stream).fork('fault'));
      const verdict = faults.verdict(f, rng);
      if (verdict.kind !== 'send' || verdict.rerouted) verdicts.set(f, { verdict, rng });
    }
  }
  const faulted = new FaultCounts(faults.injected);

  const clients = new Map<string, GatewayClient>();
  for (const a of bindings.endpoints()) clients.set(a.url, options.connect(a));
  const flows = new FlowRecorders();
  const iot = new IotRecorder();
  iot.devices = plan.devices;
  const endpoints = new EndpointStats();
  const counters = { requests: 0, retries: 0, interrupted: 0 };
  const timeouts = bindings.endpoints().map((a) => a.timeoutMs);
  const gracefulStopMs = options.gracefulStopMs ?? Math.max(1000, ...timeouts);
  const streams = new Map<PlannedFlow, RandomStream>();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();

  const ctx: ExecContext = {
    spec,
    flows,
    iot,
    endpoints,
    retry: spec.policies.retries,
    // Retries may run into the graceful stop, never past it.
    retryDeadline: t0 + options.durationMs + gracefulStopMs,
    clientFor: (url) => clients.get(url)!,
    identity: (f) => identities.get(f.patient),
    stream: (f) => {
      let s = streams.get(f);
      if (s === undefined) {
        s = plan.rng.fork(f.stream);
        streams.set(f, s);
      }
      return s;
    },
    counters,
  };

  let result: OpenModelResult;
  try {
    result = await runOpenModel<PlannedFlow>({
      plan: plan.flows,
      offsetMs: (f) => (f.atMs - fromMs) / options.speed,
      run: async (f, plannedAt, signal) => {
        const fault = verdicts.get(f);
        const v = fault?.verdict;
        if (v !== undefined) faulted.count(v);
        if (v !== undefined && v.kind !== 'send') {
          if (v.kind !== 'unbound') recordFaulted(ctx, f, v, fault!.rng);
          return;
        }
        const sent = v?.flow ?? f;
        try {
          await runFlow(ctx, sent, plannedAt, signal);
        } finally {
          streams.delete(sent);
        }
      },
      maxInFlight: options.maxInFlight,
      durationMs: options.durationMs,
      gracefulStopMs,
      lagWarnMs: options.lagWarnMs ?? 100,
      onLag: (late, at) => options.onWarning?.(`the load generator is ${Math.round(late)} ms behind its schedule at ${(at / 1000).toFixed(1)} s (the client is saturated; latencies still count from the planned starts)`),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined ? {} : { onProgress: (p) => options.onProgress!({ ...p, requests: counters.requests }) }),
    });
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
  const wallMs = performance.now() - t0;
  return {
    replication: {
      index: 0,
      streamPath: plan.rng.path,
      patients: plan.population.length,
      events: counters.requests,
      simEndMs: plan.toMs,
      flows: flows.encode(),
      nodes: {},
      security: { ...new SecurityRecorder().encode(), abuseAlerts: 0 },
      iot: iot.encode(),
      faults: faults.tallies(),
    },
    endpoints: endpoints.encode(),
    load: {
      planned: result.planned,
      started: result.started,
      dropped: result.dropped,
      lagWarnings: result.lagWarnings,
      maxLagMs: Math.round(result.maxLagMs * 1000) / 1000,
      interrupted: counters.interrupted,
      requests: counters.requests,
      retries: counters.retries,
      notOffered: plan.notOffered,
      unbound: plan.unbound + faulted.unbound,
      faulted: faulted.total,
      faults: { injected: faults.injected, notApplicable: faults.notApplicable, failed: { ...faulted.failed }, rerouted: faulted.rerouted, noSite: faulted.noSite },
      speed: options.speed,
      maxInFlight: options.maxInFlight,
      window: { fromMs: plan.fromMs, toMs: plan.toMs },
      serviceTime: endpoints.serviceTime().encode(),
    },
    startedAt,
    wallMs,
    partial: result.stoppedEarly,
  };
}
