// Shared by the adapter tests: captured CLI streams, the fixture scenario,
// small loopback servers that misbehave on purpose (every one bound to
// 127.0.0.1 on a free port, closed by the test), and a canned FHIR responder.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FIXTURE = 'test/adapters/fixtures/tourists.yaml';

export { capture } from '../helpers/capture-io.ts';

export interface TestServer {
  readonly url: string;
  /** Requests received so far. */
  readonly received: () => number;
  close(): Promise<void>;
}

/** A loopback server; `handle` may answer, stall (do nothing) or destroy the socket. */
export async function startServer(handle: (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void, base = '/fhir'): Promise<TestServer> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, n++, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    received: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A canned gateway: any lookup finds one patient, any summary is a document, any POST a batch/transaction answer of 200s. */
export function cannedFhir(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = req.url ?? '';
  let payload: unknown;
  if (req.method === 'POST') {
    const entries = ((JSON.parse(body || '{}') as { entry?: unknown[] }).entry ?? []).map(() => ({ response: { status: '200 OK' } }));
    payload = { resourceType: 'Bundle', type: 'batch-response', entry: entries };
  } else if (url.includes('$summary')) {
    payload = { resourceType: 'Bundle', type: 'document', entry: [{ resource: { resourceType: 'Composition', status: 'final' } }] };
  } else if (url.includes('/Patient?')) {
    payload = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }] };
  } else {
    payload = { resourceType: 'Bundle', type: 'searchset', entry: [] };
  }
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(payload));
}
