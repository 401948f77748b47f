// TLS and mutual TLS: an https gateway of the test's own (127.0.0.1, a free
// port) that demands a client certificate signed by the test CA. With the
// scenario's tls files (cert, key, ca; relative to the scenario) the flows get
// through; without the CA the handshake fails (TLS_HANDSHAKE_FAILED); without
// a client certificate the server closes the connection; neither crashes.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayClient } from '../../agents/adapters/index.ts';
import { REASON } from '../../agents/reasons.ts';
import { loadCommand } from '../../cli/commands/load.ts';
import type { LoadReport } from '../../reports/load-report.ts';
import { cannedFhir, capture } from './helpers.ts';

const dir = 'test/adapters/fixtures/tls';
const pem = (f: string): Buffer => readFileSync(join(dir, f));

describe('TLS and mutual TLS', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer({ key: pem('server.key'), cert: pem('server.pem'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => cannedFhir(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('pitsim load reaches an mTLS gateway with the client certificate and CA of the scenario', async () => {
    const io = capture();
    const code = await loadCommand({ scenario: 'test/adapters/fixtures/tourists-tls.yaml', bind: [`ncp.FR=${url}`], prepare: false, json: true, insecure: false, speed: 20_000, duration: '1s' }, io);
    expect(code, io.stderr).toBe(0);
    const report = JSON.parse(io.stdout) as LoadReport;
    const lookups = Object.entries(report.endpoints!).find(([k]) => k.includes('Patient?identifier'))![1];
    expect(lookups.statusCounts['200']).toBeGreaterThan(0);
    expect(lookups.errors).toEqual({});
    expect(report.flows['patientSummary']!.succeeded).toBeGreaterThan(0);
  });

  it('without the CA the handshake fails as TLS (TLS_HANDSHAKE_FAILED); without a client certificate the server closes; --insecure skips the server check', async () => {
    const noCert = new GatewayClient({ url, timeoutMs: 2000, connections: 1, tls: { ca: pem('ca.pem') } });
    const noCa = new GatewayClient({ url, timeoutMs: 2000, connections: 1, tls: { cert: pem('client.pem'), key: pem('client.key') } });
    const insecure = new GatewayClient({ url, timeoutMs: 2000, connections: 1, tls: { cert: pem('client.pem'), key: pem('client.key'), rejectUnauthorized: false } });
    try {
      const a = await noCert.request({ method: 'GET', path: 'metadata' });
      const b = await noCa.request({ method: 'GET', path: 'metadata' });
      const c = await insecure.request({ method: 'GET', path: 'metadata' });
      // TLS 1.3: the server's "certificate required" alert comes after the client's handshake is done,
      // so the client only sees the connection close before any answer.
      expect(['TLS', 'CONNECTION']).toContain(a.ok ? a.status : a.error);
      // An unknown server CA fails the client's own check: a TLS failure proper.
      expect(b.ok ? b.status : b.error).toBe('TLS');
      expect(c.ok ? c.status : c.error).toBe(200);
      expect(REASON.tls).toBe('TLS_HANDSHAKE_FAILED');
    } finally {
      await Promise.all([noCert.close(), noCa.close(), insecure.close()]);
    }
  });
});
