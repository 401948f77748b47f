// The adapters' parts on their own: the adapters: section and --bind (same
// checks, same file:line:column messages), the open-model generator's
// dropped starts (k6 dropped_iterations), the status -> reason mapping, and
// a plan that is a pure function of the scenario and its seed.
import { describe, expect, it } from 'vitest';
import { Bindings, classifyError, EndpointStats, planLoad, reasonForStatus, reasonForTransport, retryable, runOpenModel } from '../../agents/adapters/index.ts';
import { REASON } from '../../agents/reasons.ts';
import { loadCommand } from '../../cli/commands/load.ts';
import { loadScenario, loadScenarioText } from '../../scenarios/load.ts';
import { capture, FIXTURE } from './helpers.ts';
import { issuesOfText as problems } from '../helpers/scenario-issues.ts';

const HEAD = `name: t
description: adapters
duration: 1d
countries:
  DE: {}
  FR:
    pharmacies: { count: 2 }
population:
  - { name: c, count: 5, home: DE, destination: FR }
`;


describe('adapters: in the scenario', () => {
  it('reads bindings with defaults, keyed by node id or pattern', () => {
    const spec = loadScenarioText(`${HEAD}adapters:\n  ncp.FR: { url: "http://127.0.0.1:8080/fhir/", timeout: 2s }\n  pharmacy.FR.*: { url: https://127.0.0.1:8443/fhir, connections: 4, tls: { cert: c.pem, key: c.key, ca: ca.pem } }\n`, 'x.yaml');
    expect(spec.adapters).toEqual({
      'ncp.FR': { url: 'http://127.0.0.1:8080/fhir', timeoutMs: 2000, connections: 16 },
      'pharmacy.FR.*': { url: 'https://127.0.0.1:8443/fhir', timeoutMs: 10_000, connections: 4, tls: { cert: 'c.pem', key: 'c.key', ca: 'ca.pem' } },
    });
    expect(Object.hasOwn(loadScenarioText(HEAD, 'x.yaml'), 'adapters')).toBe(false);
  });

  it('explains each bad binding with file:line:column', () => {
    const text = `${HEAD}adapters:
  ncp.XX: { url: http://127.0.0.1:1/fhir }
  ncp.DE: { url: ftp://127.0.0.1/fhir }
  ncp.FR: { url: http://127.0.0.1:1/fhir, tls: { ca: ca.pem } }
  pharmacy.FR.0: { url: https://127.0.0.1:1/fhir, tls: { cert: c.pem } }
  pharmacy.FR.1: { timeout: 2s }
`;
    expect(problems(text)).toEqual([
      'x.yaml:11:3: adapters.ncp.XX: matches no node (expected a node of the declared countries, such as ncp.DE, ncp.FR or pharmacy.DE.*); hint: did you mean `ncp.DE`?',
      'x.yaml:12:18: adapters.ncp.DE.url: `ftp:` is not http or https (expected an http(s) URL such as http://127.0.0.1:8080/fhir); hint: FHIR gateways are reached over http(s)',
      'x.yaml:13:43: adapters.ncp.FR.tls: `tls` applies to https URLs only; hint: write the url as https://127.0.0.1:1/fhir, or remove `tls`',
      'x.yaml:14:56: adapters.pharmacy.FR.0.tls.key: a client `cert` needs its `key`; hint: add `key: ...` (PEM file)',
      'x.yaml:15:18: adapters.pharmacy.FR.1.url: missing required key; hint: add `url: ...`',
    ]);
  });
});

describe('pitsim load: usage errors exit 2 before anything is sent', () => {
  it('--bind names a node that does not exist', async () => {
    const io = capture();
    expect(await loadCommand({ scenario: FIXTURE, bind: ['ncp.XX=http://127.0.0.1:1/fhir'], prepare: false, json: true, insecure: false }, io)).toBe(2);
    expect(io.stderr).toContain('--bind:1:1: ncp.XX=http://127.0.0.1:1/fhir: matches no node');
    expect(io.stdout).toBe('');
  });

  it('--bind with a bad URL points at the URL', async () => {
    const io = capture();
    expect(await loadCommand({ scenario: FIXTURE, bind: ['ncp.FR=127.0.0.1:8080/fhir'], prepare: false, json: true, insecure: false }, io)).toBe(2);
    expect(io.stderr).toContain('--bind:1:8: ncp.FR=127.0.0.1:8080/fhir: `127.0.0.1:8080/fhir` is not a URL');
  });

  it('a scenario with no binding at all', async () => {
    const io = capture();
    expect(await loadCommand({ scenario: 'scenarios/fi-ee-eprescription.yaml', bind: [], prepare: false, json: true, insecure: false }, io)).toBe(2);
    expect(io.stderr).toContain('no node is bound to an endpoint');
  });

  it('a bad --duration', async () => {
    const io = capture();
    expect(await loadCommand({ scenario: FIXTURE, bind: [], prepare: false, json: true, insecure: false, duration: '30 parsecs' }, io)).toBe(2);
    expect(io.stderr).toContain('--duration');
  });
});

describe('the open-model generator', () => {
  it('drops a start that finds --max-in-flight tasks outstanding, and aborts them at the hard stop', async () => {
    const offsets = [0, 0, 0, 0, 0, 1, 1, 2];
    const r = await runOpenModel<number>({
      plan: offsets,
      offsetMs: (o) => o,
      // Tasks end only when the run aborts them.
      run: (_o, _planned, signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
      maxInFlight: 2,
      durationMs: 20,
      gracefulStopMs: 0,
    });
    expect({ planned: r.planned, started: r.started, dropped: r.dropped, aborted: r.aborted, completed: r.completed }).toEqual({ planned: 8, started: 2, dropped: 6, aborted: 2, completed: 2 });
  });

  it('passes each task its planned start, not the moment it ran', async () => {
    const seen: number[] = [];
    const r = await runOpenModel<number>({
      plan: [0, 5, 10],
      offsetMs: (o) => o,
      run: async (_o, planned) => {
        seen.push(planned);
      },
      maxInFlight: 10,
      durationMs: 1000,
      gracefulStopMs: 0,
    });
    expect(r.started).toBe(3);
    expect(r.dropped).toBe(0);
    expect(seen[1]! - seen[0]!).toBeCloseTo(5, 6);
    expect(seen[2]! - seen[0]!).toBeCloseTo(10, 6);
  });

  it('reads a typed-array plan by index and plans nothing at or after the duration', async () => {
    const r = await runOpenModel<number>({
      plan: new Float64Array([0, 1, 2, 40, 60]),
      offsetMs: (o) => o,
      run: async () => undefined,
      maxInFlight: 10,
      durationMs: 40,
      gracefulStopMs: 0,
    });
    expect({ planned: r.planned, started: r.started, dropped: r.dropped, completed: r.completed }).toEqual({ planned: 3, started: 3, dropped: 0, completed: 3 });
  });

  it('starts nothing after the caller stops it, and reports the run as stopped early', async () => {
    const stop = new AbortController();
    const r = await runOpenModel<number>({
      plan: [0, 0, 10_000],
      offsetMs: (o) => o,
      run: async () => stop.abort(),
      maxInFlight: 10,
      durationMs: 60_000,
      gracefulStopMs: 60_000,
      signal: stop.signal,
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.started).toBe(2);
  });
});

describe('outcome mapping', () => {
  it('maps statuses per interaction and transport failures to the OpenNCP vocabulary', () => {
    expect(reasonForStatus('identify', 200)).toBeNull();
    expect(reasonForStatus('identify', 404)).toBe(REASON.noMatch);
    expect(reasonForStatus('dispense', 412)).toBe(REASON.alreadyDispensed);
    expect(reasonForStatus('dispense', 409)).toBe(REASON.alreadyDispensed);
    expect(reasonForStatus('dispense', 422)).toBe('ERROR_ED_GENERIC');
    expect(reasonForStatus('summary', 422)).toBe('ERROR_PS_GENERIC');
    expect(reasonForStatus('iotBatch', 422)).toBe('ERROR_HQI_GENERIC');
    expect(reasonForStatus('summary', 429)).toBe('ResponderBusy');
    expect(reasonForStatus('summary', 503)).toBe(REASON.internal);
    expect(reasonForTransport('TIMEOUT')).toBe(REASON.timeout);
    expect(reasonForTransport('CONNECTION')).toBe(REASON.connection);
    expect(reasonForTransport('TLS')).toBe(REASON.tls);
    expect(retryable('ResponderBusy', 429)).toBe(true);
    expect(retryable(REASON.internal, 503)).toBe(true);
    expect(retryable(REASON.internal, 500)).toBe(false);
    expect(retryable('ERROR_ED_GENERIC', 422)).toBe(false);
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('CONNECTION');
    expect(classifyError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe('TIMEOUT');
    expect(classifyError(Object.assign(new Error('x'), { cause: { code: 'CERT_HAS_EXPIRED' } }))).toBe('TLS');
  });
});

describe('endpoint tallies', () => {
  it('count every status, standard or not, by endpoint, and merge their latencies into the service time', () => {
    const stats = new EndpointStats();
    const calls: [string, number | string, number][] = [
      ['GET /fhir/Patient', 200, 1.5],
      ['GET /fhir/Patient', 503, 30],
      ['GET /fhir/Patient', 200, 0.25],
      ['GET /fhir/Patient', 999, 4],
      ['GET /fhir/Patient', 42, 2],
      ['POST /fhir', 201, 12],
      ['POST /fhir', 'TIMEOUT', 10_000],
    ];
    for (const [key, status, ms] of calls) {
      if (typeof status === 'number') stats.answered(key, status, ms);
      else stats.failed(key, status, ms);
    }
    const e = stats.encode();
    expect(Object.keys(e)).toEqual(['GET /fhir/Patient', 'POST /fhir']);
    expect(e['GET /fhir/Patient']).toMatchObject({ requests: 5, statusCounts: { '200': 2, '42': 1, '503': 1, '999': 1 }, errors: {} });
    expect(e['POST /fhir']).toMatchObject({ requests: 2, statusCounts: { '201': 1 }, errors: { TIMEOUT: 1 } });
    const all = stats.serviceTime();
    expect(all.count).toBe(calls.length);
    expect(all.max).toBe(10_000);
    expect(all.min).toBe(0.25);
    expect(all.sum).toBeCloseTo(calls.reduce((t, c) => t + c[2], 0), 9);
    expect(all.percentile(50)).toBeCloseTo(4, 2);
  });
});

describe('the load plan', () => {
  it('is a pure function of the scenario and its seed, sorted, and routes flows to the first bound node', () => {
    const spec = loadScenario(FIXTURE);
    const adapter = spec.adapters!['ncp.FR']!;
    const bindings = new Bindings({ 'ncp.FR': adapter, 'ncp.DE': { ...adapter, url: 'http://127.0.0.1:2/fhir' } });
    const a = planLoad(spec, bindings, 0, spec.durationMs);
    const b = planLoad(spec, bindings, 0, spec.durationMs);
    const key = (p: typeof a): string => JSON.stringify(p.flows.map((f) => [f.atMs, f.kind, f.patient.id, f.route.node, f.pointOfCare]));
    expect(key(a)).toBe(key(b));
    expect(a.flows.length).toBeGreaterThan(0);
    for (let i = 1; i < a.flows.length; i++) expect(a.flows[i]!.atMs).toBeGreaterThanOrEqual(a.flows[i - 1]!.atMs);
    for (const f of a.flows) expect(f.route.node).toBe(f.kind === 'iotUpload' ? 'ncp.DE' : 'ncp.FR');
    const onlyFr = planLoad(spec, new Bindings({ 'ncp.FR': adapter }), 0, spec.durationMs);
    expect(onlyFr.unbound).toBe(a.flows.filter((f) => f.kind === 'iotUpload').length);
  });
});
