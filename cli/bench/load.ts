/**
 * `npm run bench:load`: how many requests per second pitsim's load generator
 * sustains against a local FHIR endpoint at a fixed concurrency, next to
 * autocannon (programmatic API) on the same endpoint and concurrency, with
 * p50/p99 from both; one line each and the ratio (target >= 0.9x).
 *
 * The endpoint is a trivial loopback HTTP server (127.0.0.1, a free port) in
 * a worker thread, answering every request with the same canned FHIR
 * searchset Bundle (one Patient). Not the Medplum wrapper of the tests: that
 * engine serves a few hundred requests per second, so both clients would
 * measure Medplum, not themselves. Each client runs in a worker thread of its
 * own too (load-client.ts: its own V8 heap, so neither tool's garbage lands
 * on the other's collections); this thread only orders the rounds.
 *
 * pitsim's side is the real path: the open-model generator (runOpenModel)
 * overdriven far beyond what the endpoint can take, with --max-in-flight equal
 * to the concurrency, so exactly that many requests are outstanding at any
 * time (the excess starts are dropped); each start sends a patient lookup
 * through GatewayClient (keep-alive undici Clients) via the same call() the
 * flows use (endpoint status tallies and latency histogram). Neither tool
 * parses the body. Both send the same request (path and headers). Latency
 * percentiles are service times (send to answer) for both tools.
 * Bounded: a 1 s warm-up, then 12 s of measurement each (`--seconds N`
 * changes it, in whole seconds a round), taken in ROUNDS alternating rounds
 * (pitsim, autocannon, autocannon, pitsim, ...) so a change in the machine's
 * load hits both alike, and neither tool always goes first: on a shared
 * 2-core VM either tool's rate alone drifted by 30 % from minute to minute;
 * the per-round ratios are printed so the spread shows. p50/p99 are the
 * request-weighted means of the rounds'; autocannon records whole ms, so its
 * sub-ms percentiles read 0 or 1. Figures only; nothing asserts a time.
 */
import { Worker } from 'node:worker_threads';
import { TaskPool } from '../../engine/pool.ts';
import type { ClientRound, Figures, Tool } from './load-client.ts';

const CONCURRENCY = 16;
const argSeconds = process.argv.indexOf('--seconds');
/** Even, so each tool goes first in half the pairs. */
const ROUNDS = 6;
/** Whole seconds a round: autocannon ends a run on its 1 s tick, so a 0.8 s round would run 1 s. */
const ROUND_SECONDS = argSeconds > 0 ? Math.min(10, Math.max(1, Math.round((Number(process.argv[argSeconds + 1]) || 12) / ROUNDS))) : 2;
const SECONDS = ROUND_SECONDS * ROUNDS;
const WARMUP_SECONDS = 1;

const SERVER = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
const body = JSON.stringify({
  resourceType: 'Bundle', type: 'searchset', total: 1,
  entry: [{ fullUrl: 'http://127.0.0.1/fhir/Patient/p1', search: { mode: 'match' }, resource: {
    resourceType: 'Patient', id: 'p1', meta: { versionId: '1', lastUpdated: '2026-08-01T00:00:00Z' },
    identifier: [{ system: 'http://fhir.de/sid/gkv/kvid-10', value: 'A123456780' }],
    name: [{ family: 'Muster', given: ['Erika'] }], gender: 'female', birthDate: '1964-08-12' } }],
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => { if (m === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); } });
`;

/** A tool's own thread (load-client.ts), kept from its warm-up to its last round. */
class ClientThread {
  private readonly pool = new TaskPool<ClientRound, Figures>({ workerFile: new URL('./load-client.ts', import.meta.url), threads: 1 });
  private rounds = 0;

  constructor(
    private readonly tool: Tool,
    private readonly url: string,
  ) {}

  /** Round 0 is the warm-up. */
  round(seconds: number): Promise<Figures> {
    const n = this.rounds++;
    return this.pool.run({ tool: this.tool, url: this.url, concurrency: CONCURRENCY, seconds }, n, `${this.tool} round ${n}`);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** Rounds as one run: totals add; percentiles are the request-weighted mean of the rounds' (an approximation). */
function combine(rounds: readonly Figures[]): Figures {
  let requests = 0;
  let seconds = 0;
  let errors = 0;
  for (const f of rounds) {
    requests += f.requests;
    seconds += f.seconds;
    errors += f.errors;
  }
  const w = (pick: (f: Figures) => number): number => (requests === 0 ? 0 : rounds.reduce((sum, f) => sum + pick(f) * f.requests, 0) / requests);
  return { requests, seconds, perSec: requests / seconds, p50: w((f) => f.p50), p99: w((f) => f.p99), errors };
}

const worker = new Worker(SERVER, { eval: true });
const port = await new Promise<number>((resolve, reject) => {
  worker.once('message', (m: number) => resolve(m));
  worker.once('error', reject);
});
const url = `http://127.0.0.1:${port}/fhir`;
const pitsim = new ClientThread('pitsim', url);
const autocannon = new ClientThread('autocannon', url);
try {
  await pitsim.round(WARMUP_SECONDS);
  await autocannon.round(WARMUP_SECONDS);
  // Alternating rounds, so a change in the machine's load hits both tools alike, in pairs whose
  // order alternates too (ABBA): in a fixed order the run's first round was its slowest, whichever tool ran it.
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      ours.push(await pitsim.round(ROUND_SECONDS));
      theirs.push(await autocannon.round(ROUND_SECONDS));
    } else {
      theirs.push(await autocannon.round(ROUND_SECONDS));
      ours.push(await pitsim.round(ROUND_SECONDS));
    }
  }
  const a = combine(ours);
  const b = combine(theirs);
  const line = (name: string, f: Figures): string =>
    `${name.padEnd(10)} ${Math.round(f.perSec).toString().padStart(7)} req/s  p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  (${f.requests} requests in ${f.seconds.toFixed(1)} s, ${f.errors} errors, ${CONCURRENCY} concurrent)`;
  console.log(`load bench: canned FHIR Bundle on ${url} (server and each client in a thread of its own), concurrency ${CONCURRENCY}, ${SECONDS} s each`);
  console.log(line('pitsim', a));
  console.log(`${line('autocannon', b)}  (autocannon's percentiles are whole ms)`);
  const perRound = ours.map((f, i) => (f.perSec / theirs[i]!.perSec).toFixed(2)).join(' ');
  console.log(`ratio      ${(a.perSec / b.perSec).toFixed(2)}x (target >= 0.9x); per round ${perRound}`);
} finally {
  await Promise.all([pitsim.close(), autocannon.close()]);
  worker.postMessage('close');
  await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
}
