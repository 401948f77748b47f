// Gateways that misbehave, each a small loopback server of the test's own: one
// answers 503 for a window (then recovers), one stalls (the client times out),
// one resets connections, and one port refuses them. The run survives each,
// counts every failure where the Report says it is, and never throws.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, runLoad, type LoadResult } from '../../agents/adapters/index.ts';
import { REASON } from '../../agents/reasons.ts';
import { loadReport, type LoadReport } from '../../reports/load-report.ts';
import type { AdapterSpec } from '../../scenarios/adapter-spec.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { cannedFhir, FIXTURE, startServer, type TestServer } from './helpers.ts';

const base = loadScenario(FIXTURE);

function bound(url: string, timeoutMs: number, retries: number): ScenarioSpec {
  const adapter: AdapterSpec = { url, timeoutMs, connections: 8 };
  return { ...base, adapters: { 'ncp.FR': adapter, 'ncp.DE': adapter }, policies: { ...base.policies, retries: { max: retries, backoffMs: 10, factor: 1, jitter: 0 } } };
}

async function run(spec: ScenarioSpec): Promise<{ result: LoadResult; report: LoadReport; warnings: string[] }> {
  const warnings: string[] = [];
  const result = await runLoad(spec, {
    speed: 20_000,
    durationMs: 1200,
    maxInFlight: 64,
    gracefulStopMs: 1000,
    connect: (a) => new GatewayClient({ url: a.url, timeoutMs: a.timeoutMs, connections: a.connections }),
    onWarning: (m) => warnings.push(m),
  });
  const report = loadReport(
    { scenario: spec.name, description: '', seed: spec.seed, durationMs: spec.durationMs, startDate: spec.startDate, version: 'test', specHash: '', policies: null, assumptions: {} },
    FIXTURE,
    result,
  );
  return { result, report, warnings };
}

function sum(records: readonly Readonly<Record<string, number>>[], key: string): number {
  return records.reduce((n, r) => n + (r[key] ?? 0), 0);
}

function consistent(report: LoadReport): void {
  const l = report.load!;
  expect(report.meta.deterministic).toBe(false);
  expect(l.planned).toBeGreaterThan(0);
  expect(l.planned).toBe(l.started + l.dropped);
  for (const f of Object.values(report.flows)) expect(f.succeeded + f.failed).toBe(f.attempts);
  const endpoints = Object.values(report.endpoints!);
  expect(endpoints.reduce((n, e) => n + e.requests, 0)).toBe(l.requests);
}

describe('faults at the gateway', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('503 for a window: every 503 is counted, retried after Retry-After, and the flows recover', async () => {
    let unavailable = 0;
    server = await startServer((req, res, n, body) => {
      if (n < 40) {
        unavailable++;
        res.writeHead(503, { 'content-type': 'application/fhir+json', 'retry-after': '0' });
        res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }));
        return;
      }
      cannedFhir(req, res, body);
    });
    const { report } = await run(bound(server.url, 2000, 3));
    consistent(report);
    const endpoints = Object.values(report.endpoints!);
    expect(sum(endpoints.map((e) => e.statusCounts), '503')).toBe(unavailable);
    expect(sum(endpoints.map((e) => e.statusCounts), '200')).toBeGreaterThan(0);
    expect(report.load!.requests).toBe(server.received());
    expect(report.load!.retries).toBeGreaterThan(0);
    expect(report.flows['patientSummary']!.succeeded + report.flows['iotUpload']!.succeeded).toBeGreaterThan(0);
  });

  it('a stalling gateway: requests time out, flows fail with TIMEOUT, the run stops by itself', async () => {
    server = await startServer((req, res, n, body) => {
      if (n % 3 === 1) return; // never answers
      cannedFhir(req, res, body);
    });
    const { report } = await run(bound(server.url, 200, 0));
    consistent(report);
    const timeouts = sum(Object.values(report.endpoints!).map((e) => e.errors), REASON.timeout);
    expect(timeouts).toBeGreaterThan(0);
    expect(sum(Object.values(report.flows).map((f) => f.failureReasons), REASON.timeout)).toBe(timeouts);
  });

  it('connection resets: counted as ERROR_GENERIC_CONNECTION_NOT_POSSIBLE, the run goes on', async () => {
    let resets = 0;
    server = await startServer((req, res, n, body) => {
      if (n % 4 === 0) {
        resets++;
        req.socket.destroy();
        return;
      }
      cannedFhir(req, res, body);
    });
    const { report } = await run(bound(server.url, 2000, 0));
    consistent(report);
    const errors = sum(Object.values(report.endpoints!).map((e) => e.errors), REASON.connection);
    expect(errors).toBe(resets);
    expect(sum(Object.values(report.flows).map((f) => f.failureReasons), REASON.connection)).toBe(resets);
    expect(sum(Object.values(report.endpoints!).map((e) => e.statusCounts), '200')).toBeGreaterThan(0);
  });

  it('a refused port: every request fails to connect, nothing crashes', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { report } = await run(bound(`http://127.0.0.1:${port}/fhir`, 1000, 1));
    consistent(report);
    const l = report.load!;
    expect(sum(Object.values(report.endpoints!).map((e) => e.errors), REASON.connection)).toBe(l.requests);
    for (const f of Object.values(report.flows)) expect(f.succeeded).toBe(0);
  });
});
