// The gateway's own connection pool (one undici Client per connection): never
// more requests on the wire than connections, waiting requests served first
// in first out, a connection reused once freed (keep-alive), and requests
// still queued when the client closes answered as ABORTED, not left hanging.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, type GatewayResult } from '../../agents/adapters/index.ts';

interface Held {
  readonly path: string;
  readonly res: ServerResponse;
}

/** A server that holds every request until the test answers it; counts sockets and the most requests open at once. */
async function holdingServer(): Promise<{ url: string; held: Held[]; sockets: () => number; maxOpen: () => number; close: () => Promise<void> }> {
  const held: Held[] = [];
  let open = 0;
  let maxOpen = 0;
  let sockets = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    res.on('finish', () => open--);
    req.resume();
    held.push({ path: req.url ?? '', res });
  });
  server.on('connection', () => sockets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/fhir`,
    held,
    sockets: () => sockets,
    maxOpen: () => maxOpen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(h: Held): void {
  h.res.writeHead(200, { 'content-type': 'application/fhir+json' });
  h.res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, id: h.path.split('=')[1] }));
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('GatewayClient connection pool', () => {
  it('keeps at most `connections` requests on the wire and serves the waiting ones first in, first out', async () => {
    const s = await holdingServer();
    const client = new GatewayClient({ url: s.url, timeoutMs: 5000, connections: 2 });
    cleanup.push(() => client.close(), s.close);
    const results = Array.from({ length: 6 }, (_, i) => client.request({ method: 'GET', path: `Patient?n=${i}` }));
    await until(() => s.held.length === 2);
    // The first two are on the wire; the other four wait in order.
    expect(s.held.map((h) => h.path)).toEqual(['/fhir/Patient?n=0', '/fhir/Patient?n=1']);
    for (let served = 0; served < 6; served++) {
      await until(() => s.held.length > served);
      answer(s.held[served]!);
    }
    const done = await Promise.all(results);
    expect(done.map((r) => r.ok && (r.body as { id: string }).id)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(s.held.map((h) => h.path)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `/fhir/Patient?n=${i}`));
    expect(s.maxOpen()).toBe(2);
    // Keep-alive: six requests over the two connections, none opened again.
    expect(s.sockets()).toBe(2);
  });

  it('answers requests still waiting for a connection with ABORTED when the client closes', async () => {
    const s = await holdingServer();
    const client = new GatewayClient({ url: s.url, timeoutMs: 5000, connections: 1 });
    cleanup.push(s.close);
    const results: Promise<GatewayResult>[] = [0, 1, 2].map((i) => client.request({ method: 'GET', path: `Patient?n=${i}` }));
    await until(() => s.held.length === 1);
    await client.close();
    const done = await Promise.all(results);
    expect(done.map((r) => (r.ok ? r.status : r.error))).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    expect(s.held).toHaveLength(1);
  });

  it('parses the body only when it is read, once', async () => {
    const s = await holdingServer();
    const client = new GatewayClient({ url: s.url, timeoutMs: 5000, connections: 1 });
    cleanup.push(() => client.close(), s.close);
    const pending = client.request({ method: 'GET', path: 'Patient?n=7' });
    await until(() => s.held.length === 1);
    answer(s.held[0]!);
    const r = await pending;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const first = r.body;
    expect(first).toEqual({ resourceType: 'Bundle', type: 'searchset', total: 0, id: '7' });
    expect(r.body).toBe(first);
  });

  it('assembles a body that arrives in several chunks, and reads an empty one as null', async () => {
    const s = await holdingServer();
    const client = new GatewayClient({ url: s.url, timeoutMs: 5000, connections: 1 });
    cleanup.push(() => client.close(), s.close);
    const text = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, id: 'x'.repeat(50_000) });
    const pending = client.request({ method: 'GET', path: 'Patient?n=8' });
    await until(() => s.held.length === 1);
    const res = s.held[0]!.res;
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    // Three writes apart in time: the client sees (at least) three chunks.
    for (const part of [text.slice(0, 10), text.slice(10, 30_000), text.slice(30_000)]) {
      res.write(part);
      await new Promise((r) => setTimeout(r, 20));
    }
    res.end();
    const r = await pending;
    expect(r.ok && r.body).toEqual(JSON.parse(text));
    const empty = client.request({ method: 'DELETE', path: 'Patient/1' });
    await until(() => s.held.length === 2);
    s.held[1]!.res.writeHead(204).end();
    const e = await empty;
    expect(e.ok && e.status).toBe(204);
    expect(e.ok && e.body).toBeNull();
  });

  it('builds each request path under the base, whatever the previous one was', () => {
    const client = new GatewayClient({ url: 'http://127.0.0.1:9/fhir/', timeoutMs: 5000, connections: 1 });
    cleanup.push(() => client.close());
    expect(['Patient?x=1', '/Patient?x=1', '', 'Patient?x=1', 'Bundle', ''].map((p) => client.pathFor(p))).toEqual([
      '/fhir/Patient?x=1',
      '/fhir/Patient?x=1',
      '/fhir',
      '/fhir/Patient?x=1',
      '/fhir/Bundle',
      '/fhir',
    ]);
  });
});
