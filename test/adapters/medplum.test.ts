// pitsim load against a real FHIR engine: Medplum's FhirRouter + MemoryRepository
// behind the loopback wrapper the tests own. --prepare seeds the population
// (twice: the second creates nothing), a short open-model run at high speed
// drives every interaction, and the gateway then holds each dispensation
// once, even when a proxy loses the first answer of every dispensation and
// the client retries. Nothing here asserts a wall-clock time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSearchRequest } from '@medplum/core';
import type { MedicationDispense, MedicationRequest, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDED_BY_EARLIER_ATTEMPT, type PrepareResult } from '../../agents/adapters/index.ts';
import { loadCommand, type LoadArgs } from '../../cli/commands/load.ts';
import type { LoadReport } from '../../reports/load-report.ts';
import { capture, FIXTURE } from './helpers.ts';
import { startMedplumServer, type MedplumServer } from './medplum-server.ts';

async function all<T extends MedicationDispense | MedicationRequest | Patient>(server: MedplumServer, type: T['resourceType']): Promise<T[]> {
  return (await server.repo.searchResources(parseSearchRequest<T>(type, { _count: '10000' }))) as T[];
}

/** How many resources carry each identifier value of `system`. */
function byIdentifier(resources: readonly { identifier?: { system?: string; value?: string }[] }[], system: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of resources) for (const i of r.identifier ?? []) if (i.system === system && i.value !== undefined) out.set(i.value, (out.get(i.value) ?? 0) + 1);
  return out;
}

function args(url: string, extra: Partial<LoadArgs> = {}): LoadArgs {
  return { scenario: FIXTURE, bind: [`ncp.FR=${url}`, `ncp.DE=${url}`], prepare: false, json: true, insecure: false, ...extra };
}

async function prepare(url: string): Promise<PrepareResult> {
  const io = capture();
  const code = await loadCommand(args(url, { prepare: true }), io);
  expect(code, io.stderr).toBe(0);
  return JSON.parse(io.stdout) as PrepareResult;
}

async function load(url: string): Promise<LoadReport> {
  const io = capture();
  const code = await loadCommand(args(url, { speed: 10_000, duration: '3s', maxInFlight: 64 }), io);
  expect(code, io.stderr).toBe(0);
  return JSON.parse(io.stdout) as LoadReport;
}

describe('pitsim load against Medplum (fhir-router 4.5.2)', () => {
  let server: MedplumServer;
  beforeAll(async () => {
    server = await startMedplumServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('--prepare seeds Patient, Condition and MedicationRequest; a second --prepare creates nothing', async () => {
    const first = (await prepare(server.url)).gateways[server.url]!;
    expect(first.patients).toBeGreaterThan(0);
    expect(first.failed).toEqual({});
    expect(first.created['Patient']).toBe(first.patients);
    expect(first.created['Condition']).toBeGreaterThan(0);
    expect(first.created['MedicationRequest']).toBeGreaterThan(0);

    const second = (await prepare(server.url)).gateways[server.url]!;
    expect(second.created).toEqual({});
    expect(second.existing).toEqual({ ...first.created });

    const patients = byIdentifier(await all<Patient>(server, 'Patient'), 'urn:pitsim:sid:patient');
    expect(patients.size).toBe(first.patients);
    expect([...patients.values()].every((n) => n === 1)).toBe(true);
  });

  it('a short open-model run: every dispensation recorded once, a Report shaped like run with endpoints and load', async () => {
    const report = await load(server.url);
    expect(Object.keys(report)).toEqual(['meta', 'run', 'flows', 'nodes', 'security', 'iot', 'faults', 'endpoints', 'load']);
    expect(report.meta.deterministic).toBe(false);
    expect(report.meta.replications).toBe(1);
    expect(report.run.partial).toBe(false);
    expect(report.run.events).toBe(report.load!.requests);

    const { patientSummary, ePrescription, eDispensation, iotUpload } = report.flows;
    for (const f of [patientSummary!, ePrescription!, eDispensation!, iotUpload!]) {
      expect(f.attempts).toBeGreaterThan(0);
      expect(f.succeeded + f.failed).toBe(f.attempts);
    }
    expect(ePrescription!.steps['xcpd']!.count).toBe(ePrescription!.attempts);
    expect(patientSummary!.steps['xcaRetrieve']!.count).toBeGreaterThan(0);

    const l = report.load!;
    expect(l.planned).toBe(l.started + l.dropped);
    expect(l.started).toBe(patientSummary!.attempts + ePrescription!.attempts + iotUpload!.attempts);
    expect(l.serviceTimeMs.count).toBe(l.requests);
    const endpoints = Object.entries(report.endpoints!);
    const lookup = endpoints.find(([k]) => k.startsWith('GET /fhir/Patient?identifier='));
    expect(lookup?.[1].statusCounts['200']).toBeGreaterThan(0);
    expect(endpoints.reduce((n, [, e]) => n + e.requests, 0)).toBe(l.requests);

    const dispenses = await all<MedicationDispense>(server, 'MedicationDispense');
    const counts = byIdentifier(dispenses, 'urn:pitsim:sid:dispense');
    expect(counts.size).toBe(eDispensation!.succeeded);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const completed = (await all<MedicationRequest>(server, 'MedicationRequest')).filter((m) => m.status === 'completed');
    expect(completed.length).toBe(eDispensation!.succeeded);
  });
});

describe('retries stay idempotent', () => {
  let server: MedplumServer;
  let proxy: Server;
  let proxyUrl = '';
  let lost = 0;

  beforeAll(async () => {
    server = await startMedplumServer();
    const seen = new Set<string>();
    // Forwards everything to Medplum; the first answer to each dispensation is lost (the socket is
    // destroyed after Medplum has recorded it), so the client retries a request that already took effect.
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const target = `${server.url}${(req.url ?? '').slice('/fhir'.length)}`;
        void fetch(target, { method: req.method ?? 'GET', headers: { 'content-type': 'application/fhir+json' }, ...(body === '' ? {} : { body }) }).then(async (r) => {
          const text = await r.text();
          const first = req.method === 'POST' && body !== '' ? (JSON.parse(body) as { entry?: { resource?: MedicationDispense }[] }).entry?.[0]?.resource : undefined;
          const dispense = first?.resourceType === 'MedicationDispense' ? first.identifier?.[0]?.value : undefined;
          if (dispense !== undefined && !seen.has(dispense)) {
            seen.add(dispense);
            lost++;
            res.socket?.destroy();
            return;
          }
          res.writeHead(r.status, { 'content-type': 'application/fhir+json' });
          res.end(text);
        });
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/fhir`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await server.close();
  });

  it('a lost answer is retried; If-None-Exist keeps one MedicationDispense per prescription line', async () => {
    await prepare(server.url);
    const report = await load(proxyUrl);
    const ed = report.flows['eDispensation']!;
    expect(lost).toBeGreaterThan(0);
    expect(report.load!.retries).toBeGreaterThanOrEqual(lost);
    expect(ed.warnings[RECORDED_BY_EARLIER_ATTEMPT]).toBe(lost);
    const dispenses = await all<MedicationDispense>(server, 'MedicationDispense');
    const counts = byIdentifier(dispenses, 'urn:pitsim:sid:dispense');
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(ed.succeeded);
    expect(dispenses.length).toBe(ed.succeeded);
  });
});
