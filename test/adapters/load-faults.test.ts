// Client-side fault injection in `pitsim load`: the scenario's faults act on
// the planned flows as in the simulator. Known answers against a loopback FHIR
// stub of the test's own (every flow planned inside an outage window fails
// with the simulator's reason and sends nothing, every other succeeds), the
// windows against a simulation's own fault report, and determinism.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Bindings, GatewayClient, Identities, LoadFaults, planLoad, runLoad, token, type LoadResult, type PlannedFlow } from '../../agents/adapters/index.ts';
import { recordFaulted } from '../../agents/adapters/faulted-flow.ts';
import { IotRecorder } from '../../agents/iot/index.ts';
import { REASON } from '../../agents/reasons.ts';
import { FlowRecorders } from '../../agents/recorders.ts';
import { runReplication } from '../../agents/replication.ts';
import { RandomStream } from '../../engine/index.ts';
import type { AdapterSpec } from '../../scenarios/adapter-spec.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { cannedFhir, FIXTURE, startServer, type TestServer } from './helpers.ts';

const H = 3_600_000;
const SPEED = 20_000;
const WALL_MS = 1200;
/** The simulated window a run covers: [0, 6.67h); the tourists arrive in [0, 2h) and stay 4-6h. */
const WINDOW_MS = SPEED * WALL_MS;
const ADAPTER: AdapterSpec = { url: 'http://127.0.0.1:9/fhir', timeoutMs: 2000, connections: 8 };

/** The fixture with these faults (YAML flow list) and these nodes bound to `url`. */
function scenario(faults: string, nodes: readonly string[], url = ADAPTER.url): ScenarioSpec {
  const spec = loadScenario(FIXTURE, { sets: [`faults=[${faults}]`] });
  const adapter = { ...ADAPTER, url };
  return { ...spec, adapters: Object.fromEntries(nodes.map((n) => [n, adapter])), policies: { ...spec.policies, retries: { max: 0, backoffMs: 10, factor: 1, jitter: 0 } } };
}

function plan(spec: ScenarioSpec): readonly PlannedFlow[] {
  return planLoad(spec, new Bindings(spec.adapters ?? {}), 0, WINDOW_MS).flows;
}

const inWindow = (from: number, to: number) => (f: PlannedFlow) => f.atMs >= from && f.atMs < to;

/** A canned gateway that also lists every prescription line of the population, and notes each patient lookup. */
async function stub(spec: ScenarioSpec): Promise<{ server: TestServer; lookups: string[] }> {
  const lines = planLoad(spec, new Bindings({}), 0, 0).population.flatMap((p) => p.prescriptions);
  const requests = lines.map((rx) => ({ resource: { resourceType: 'MedicationRequest', id: `mr-${rx.id}`, status: 'active', intent: 'order', identifier: [{ value: rx.id }] } }));
  const lookups: string[] = [];
  const server = await startServer((req: IncomingMessage, res: ServerResponse, _n: number, body: string) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    if (url.pathname.endsWith('/Patient') && req.method === 'GET') lookups.push(url.searchParams.get('identifier') ?? '');
    if (url.pathname.endsWith('/MedicationRequest')) {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: requests }));
      return;
    }
    cannedFhir(req, res, body);
  });
  return { server, lookups };
}

async function load(spec: ScenarioSpec): Promise<{ result: LoadResult; warnings: string[] }> {
  const warnings: string[] = [];
  const result = await runLoad(spec, {
    speed: SPEED,
    durationMs: WALL_MS,
    maxInFlight: 256,
    gracefulStopMs: 2000,
    connect: (a) => new GatewayClient({ url: a.url, timeoutMs: a.timeoutMs, connections: a.connections }),
    onWarning: (m) => warnings.push(m),
  });
  return { result, warnings };
}

function sortedTokens(spec: ScenarioSpec, flows: readonly PlannedFlow[]): string[] {
  const ids = new Identities(spec);
  return flows.map((f) => token(ids.get(f.patient).lookup)).sort();
}

describe('fault windows in load mode', () => {
  it('equal the windows the simulator records for replication 0 (recurring, MTBF/MTTR, one window)', () => {
    const spec = scenario(
      `{id: rec, kind: outage, target: hospital.FR.0, at: 1h, for: 30min, every: 3h},
       {id: random, kind: degraded, target: ncp.DE, mtbf: exp(2h), mttr: lognormal(20min, 0.5), errorRate: 0.5},
       {id: cut, kind: partition, target: link DE-FR, mtbf: exp(5h), mttr: exp(1h)},
       {id: once, kind: outage, target: ncp.FR, at: 20h, for: 6h}`,
      ['ncp.FR'],
    );
    const load = new LoadFaults(spec, new Bindings(spec.adapters!), 0, spec.durationMs).tallies();
    const sim = runReplication(spec, 0).faults;
    expect(Object.keys(load)).toEqual(['rec', 'random', 'cut', 'once']);
    for (const id of Object.keys(load)) {
      expect(load[id]!.windows, id).toBe(sim[id]!.windows);
      expect(load[id]!.activeMs, id).toBe(sim[id]!.activeMs);
    }
    expect(load['rec']!.windows).toBe(8);
    expect(load['random']!.windows).toBeGreaterThan(3);
    expect(load['once']).toMatchObject({ windows: 1, activeMs: 4 * H }); // cut at the end of the day
  });

  it('within a later load window: only what overlaps it, cut at its start', () => {
    const spec = scenario('{id: once, kind: outage, target: ncp.FR, at: 2h, for: 1h}, {id: rec, kind: outage, target: ncp.FR, at: 0h, for: 1h, every: 2h}', ['ncp.FR']);
    const t = new LoadFaults(spec, new Bindings(spec.adapters!), 2.5 * H, 6 * H).tallies();
    expect(t['once']).toMatchObject({ windows: 1, activeMs: 0.5 * H });
    // [0h, 1h) ended before; [2h, 3h) counts from 2.5h; [4h, 5h) whole; the one opening at 6h is past the end.
    expect(t['rec']).toMatchObject({ windows: 2, activeMs: 1.5 * H });
  });
});

describe('fault verdicts (pure)', () => {
  const verdicts = (spec: ScenarioSpec, from = 0, to = WINDOW_MS) => {
    const bindings = new Bindings(spec.adapters!);
    const p = planLoad(spec, bindings, from, to);
    const faults = new LoadFaults(spec, bindings, p.fromMs, p.toMs);
    return p.flows.map((f) => ({ f, v: faults.verdict(f, () => p.rng.fork(f.stream).fork('fault')) }));
  };

  it('degraded with errorRate 1 fails every flow in its window (InternalError at the bound NCP), and no other', () => {
    const spec = scenario('{id: slow, kind: degraded, target: ncp.FR, at: 1h, for: 2h, factor: 3, errorRate: 1}', ['ncp.FR']);
    const all = verdicts(spec);
    const inside = all.filter(({ f }) => inWindow(H, 3 * H)(f));
    expect(inside.length).toBeGreaterThan(5);
    for (const { v } of inside) expect(v).toEqual({ kind: 'fail', fault: 'slow', reason: REASON.internal, step: 'hcpAssertion' });
    for (const { f, v } of all) if (!inWindow(H, 3 * H)(f)) expect(v.kind).toBe('send');
  });

  it('faults behind the bound node are the gateway\'s business; in front of it they fail the flow at the simulator\'s step', () => {
    const faults = '{id: certA, kind: certificateExpiry, target: ncp.DE, at: 0h, for: 1d}';
    for (const { v } of verdicts(scenario(faults, ['ncp.FR']))) expect(v.kind).toBe('send');
    const atA = verdicts(scenario(faults, ['ncp.DE']));
    for (const { f, v } of atA) {
      if (f.kind === 'iotUpload') expect(v.kind).toBe('send'); // uploads reach A's platform, not its NCP
      else expect(v).toEqual({ kind: 'fail', fault: 'certA', reason: REASON.tls, step: 'xcpd' });
    }
  });

  it('a partition fails uploads and flows that cross the link, not those served in B', () => {
    const spec = scenario('{id: cut, kind: partition, target: link FR-DE, at: 0h, for: 1d}', ['ncp.DE']);
    const all = verdicts(spec);
    expect(all.some(({ f }) => f.kind === 'iotUpload')).toBe(true);
    for (const { f, v } of all) expect(v).toEqual({ kind: 'fail', fault: 'cut', reason: REASON.connection, step: f.kind === 'iotUpload' ? null : 'xcpd' });
    for (const { v } of verdicts(scenario('{id: cut, kind: partition, target: link FR-DE, at: 0h, for: 1d}', ['ncp.FR']))) expect(v.kind).toBe('send');
  });

  it('a closed point of care sends the patient to an open one; none open: no flow', () => {
    const one = verdicts(scenario('{id: h0, kind: outage, target: hospital.FR.0, at: 0h, for: 1d}', ['ncp.FR']));
    const moved = one.filter(({ f }) => f.pointOfCare === 'hospital.FR.0');
    expect(moved.length).toBeGreaterThan(0);
    for (const { v } of moved) {
      expect(v.kind === 'send' && v.rerouted && v.flow.pointOfCare === 'hospital.FR.1' && v.flow.route.node === 'ncp.FR').toBe(true);
    }
    const all = verdicts(scenario('{id: hs, kind: outage, target: hospital.FR.*, at: 0h, for: 1d}', ['ncp.FR']));
    for (const { f, v } of all) expect(v).toEqual(f.kind === 'patientSummary' ? { kind: 'noSite', fault: 'hs' } : { kind: 'send', flow: f, rerouted: false });
  });

  it('what load mode does not simulate is listed with the reason, once, and never applied', () => {
    const spec = scenario(
      `{id: spike, kind: latencySpike, target: link DE-FR, at: 0h, for: 1d},
       {id: slowOnly, kind: degraded, target: ncp.FR, at: 0h, for: 1d, factor: 5},
       {id: both, kind: degraded, target: ncp.FR, at: 0h, for: 1d, factor: 5, errorRate: 0.01},
       {id: pharmacyCert, kind: certificateExpiry, target: pharmacy.FR.*, at: 0h, for: 1d},
       {kind: terminologyOutage, at: 0h, for: 1d},
       {id: leak, kind: breach, target: ncp.FR, at: 1h},
       {id: devices, kind: deviceCompromise, target: device.cgm, at: 0h, for: 1d}`,
      ['ncp.FR'],
    );
    const faults = new LoadFaults(spec, new Bindings(spec.adapters!), 0, WINDOW_MS);
    expect(faults.injected).toEqual(['both']);
    expect(Object.keys(faults.notApplicable)).toEqual(['spike', 'slowOnly', 'pharmacyCert', 'terminologyOutage-4', 'leak', 'devices']);
    expect(faults.warning()).toMatch(/^faults not applied in load mode: spike \(load mode does not simulate link latency.*both: its errorRate only/);
  });

  it('the same verdicts on every call', () => {
    const spec = scenario('{id: flaky, kind: degraded, target: ncp.FR, mtbf: exp(1h), mttr: exp(1h), errorRate: 0.5}', ['ncp.FR']);
    const a = verdicts(spec).map(({ v }) => (v.kind === 'fail' ? v.fault : v.kind));
    expect(a).toEqual(verdicts(spec).map(({ v }) => (v.kind === 'fail' ? v.fault : v.kind)));
    expect(a).toContain('flaky');
    expect(a).toContain('send');
  });

  it('records a stopped flow as the load run records failures: attempt, failure at its step, outcome', () => {
    const spec = scenario('', ['ncp.FR']);
    const flows = new FlowRecorders();
    const iot = new IotRecorder();
    const [ps, ep] = [plan(spec).find((f) => f.kind === 'patientSummary')!, plan(spec).find((f) => f.kind === 'ePrescription')!];
    const rng = () => RandomStream.root(1);
    recordFaulted({ spec, flows, iot }, ps, { kind: 'fail', fault: 'x', reason: REASON.connection, step: 'hcpAssertion' }, rng);
    recordFaulted({ spec, flows, iot }, ps, { kind: 'noSite', fault: 'x' }, rng);
    recordFaulted({ spec, flows, iot }, ep, { kind: 'fail', fault: 'x', reason: REASON.tls, step: 'xcpd' }, rng);
    const out = flows.encode();
    expect(out['patientSummary']).toMatchObject({ attempts: 1, failed: 1, failureReasons: { [REASON.connection]: 1 }, outcomes: { treatedWithoutSummary: 1, noHospitalAvailable: 1 } });
    expect(out['patientSummary']!.steps.hcpAssertion).toMatchObject({ count: 1, failed: 1 });
    expect(out['ePrescription']).toMatchObject({ attempts: 1, failed: 1, failureReasons: { [REASON.tls]: 1 } });
    expect(Object.values(out['ePrescription']!.outcomes).reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('pitsim load with faults against a FHIR stub', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  /** Runs the scenario against a fresh stub; the flows the stub saw identified, sorted. */
  async function against(faults: string, nodes: readonly string[]): Promise<{ spec: ScenarioSpec; result: LoadResult; lookups: string[]; warnings: string[] }> {
    const probe = scenario(faults, nodes);
    const s = await stub(probe);
    server = s.server;
    const spec = scenario(faults, nodes, s.server.url);
    const { result, warnings } = await load(spec);
    await s.server.close();
    server = null;
    expect(result.load.requests).toBe(s.server.received());
    expect(result.load.dropped).toBe(0);
    for (const e of Object.values(result.endpoints)) expect(e.errors).toEqual({});
    return { spec, result, lookups: [...s.lookups].sort(), warnings };
  }

  it('an outage of the bound NCP: every flow planned inside the window fails to connect without a request; every other succeeds', async () => {
    const { spec, result, lookups, warnings } = await against('{id: fr-down, kind: outage, target: ncp.FR, at: 2h, for: 1h}', ['ncp.FR']);
    const flows = plan(spec);
    const inside = flows.filter(inWindow(2 * H, 3 * H));
    const outside = flows.filter((f) => !inWindow(2 * H, 3 * H)(f));
    expect(inside.length).toBeGreaterThan(5);
    expect(outside.length).toBeGreaterThan(5);
    expect(warnings).toEqual([]);
    expect(result.load.faulted).toBe(inside.length);
    expect(result.load.faults).toEqual({ injected: ['fr-down'], notApplicable: {}, failed: { 'fr-down': inside.length }, rerouted: 0, noSite: 0 });
    expect(result.replication.faults).toEqual({ 'fr-down': { kind: 'outage', target: 'ncp.FR', windows: 1, activeMs: H } });
    // No request from a faulted flow: the lookups the gateway saw are exactly the flows outside the window.
    expect(lookups).toEqual(sortedTokens(spec, outside));
    const f = result.replication.flows;
    for (const kind of ['patientSummary', 'ePrescription'] as const) {
      const n = inside.filter((x) => x.kind === kind).length;
      expect(f[kind].failureReasons, kind).toEqual(n === 0 ? {} : { [REASON.connection]: n });
      expect(f[kind].steps.hcpAssertion?.failed ?? 0, kind).toBe(n);
      expect(f[kind].succeeded, kind).toBe(outside.filter((x) => x.kind === kind).length);
    }
    expect(f.eDispensation.succeeded).toBe(outside.filter((x) => x.kind === 'ePrescription').length);
  });

  it('an outage of B\'s NCP in front of a bound A: cross-border flows in the window fail, uploads (which bypass it) do not', async () => {
    const { spec, result, lookups } = await against('{id: fr-down, kind: outage, target: ncp.FR, at: 2h, for: 1h}', ['ncp.DE']);
    const flows = plan(spec);
    const stopped = flows.filter((f) => f.kind !== 'iotUpload' && inWindow(2 * H, 3 * H)(f));
    const sent = flows.filter((f) => !stopped.includes(f));
    expect(flows.some((f) => f.kind === 'iotUpload' && inWindow(2 * H, 3 * H)(f))).toBe(true);
    expect(result.load.faulted).toBe(stopped.length);
    expect(lookups).toEqual(sortedTokens(spec, sent.filter((f) => f.kind !== 'iotUpload')));
    const f = result.replication.flows;
    expect(f.iotUpload.succeeded).toBe(flows.filter((x) => x.kind === 'iotUpload').length);
    expect(f.patientSummary.failed + f.ePrescription.failed).toBe(stopped.length);
  });

  it('degraded with errorRate 1: every flow in its window fails with InternalError, none is sent', async () => {
    const { spec, result, lookups } = await against('{id: broken, kind: degraded, target: ncp.FR, at: 1h, for: 2h, factor: 2, errorRate: 1}', ['ncp.FR']);
    const inside = plan(spec).filter(inWindow(H, 3 * H));
    expect(result.load.faults.failed).toEqual({ broken: inside.length });
    const reasons = result.replication.flows.patientSummary.failureReasons[REASON.internal] ?? 0;
    expect(reasons + (result.replication.flows.ePrescription.failureReasons[REASON.internal] ?? 0)).toBe(inside.length);
    expect(lookups).toEqual(sortedTokens(spec, plan(spec).filter((f) => !inWindow(H, 3 * H)(f))));
  });

  it('the same flows are faulted on every run', async () => {
    const faults = '{id: flaky, kind: degraded, target: ncp.FR, mtbf: exp(1h), mttr: exp(1h), errorRate: 0.5}';
    const a = await against(faults, ['ncp.FR']);
    const b = await against(faults, ['ncp.FR']);
    expect(a.result.load.faulted).toBeGreaterThan(0);
    expect(a.lookups.length).toBeGreaterThan(0);
    expect(b.lookups).toEqual(a.lookups);
    expect(b.result.load.faults).toEqual(a.result.load.faults);
    expect(b.result.replication.flows).toMatchObject({
      patientSummary: { failureReasons: a.result.replication.flows.patientSummary.failureReasons },
      ePrescription: { failureReasons: a.result.replication.flows.ePrescription.failureReasons },
    });
  });
});
