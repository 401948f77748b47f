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
 * measure Medplum, not themselves. The worker thread keeps the server off the
 * clients' event loop.
 *
 * pitsim's side is the real path: the open-model generator (runOpenModel)
 * overdriven far beyond what the endpoint can take, with --max-in-flight equal
 * to the concurrency, so exactly that many requests are outstanding at any
 * time (the excess starts are dropped); each start sends a patient lookup
 * through GatewayClient (keep-alive undici Clients) via the same call() the
 * flows use (endpoint tallies, service-time histogram, JSON parsing).
 * Both send the same request (path and headers). Latency percentiles are
 * service times (send to answer) for both tools.
 * Bounded: a 1 s warm-up, then 10 s of measurement each (`--seconds N`
 * changes it), taken in ROUNDS alternating rounds (pitsim, autocannon,
 * pitsim, ...) so a change in the machine's load hits both alike: on a shared
 * 2-core VM either tool's rate alone drifted by 30 % from minute to minute;
 * the per-round ratios are printed so the spread shows. p50/p99 are the
 * request-weighted means of the rounds'; autocannon records whole ms, so its
 * sub-ms percentiles read 0 or 1. Figures only; nothing asserts a time.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Histogram, RandomStream } from '../../engine/index.ts';
import { call, EndpointStats, GatewayClient, runOpenModel, type GatewayRequest } from '../../agents/adapters/index.ts';

const CONCURRENCY = 16;
const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = argSeconds > 0 ? Math.min(60, Math.max(2, Number(process.argv[argSeconds + 1]) || 10)) : 10;
const WARMUP_SECONDS = 1;
const ROUNDS = 5;
/** Planned starts per second: far above what one loopback endpoint serves, so the generator is never the idle party. */
const OVERDRIVE_RATE = 200_000;
const LOOKUP: GatewayRequest = { method: 'GET', path: 'Patient?identifier=http%3A%2F%2Ffhir.de%2Fsid%2Fgkv%2Fkvid-10%7CA123456780' };
/**
 * The header pitsim's client sends beyond host and connection (both tools
 * send those): autocannon sends it too, so the server parses the same request
 * from either and the figures compare the clients alone.
 */
const SAME_HEADERS = { accept: 'application/fhir+json' };

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

interface Figures {
  requests: number;
  seconds: number;
  perSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function pitsim(url: string, seconds: number): Promise<Figures> {
  const client = new GatewayClient({ url, timeoutMs: 10_000, connections: CONCURRENCY });
  const ctx = {
    endpoints: new EndpointStats(),
    serviceTime: new Histogram(),
    retry: { max: 0, backoffMs: 0, factor: 1, jitter: 0 },
    retryDeadline: 0,
    counters: { requests: 0, retries: 0, interrupted: 0 },
  };
  const rng = RandomStream.root(1).fork('bench');
  // An array, as runLoad's plan is (a generator would add a resume per planned start, most of them dropped).
  const plan = new Float64Array(Math.ceil(seconds * OVERDRIVE_RATE));
  for (let i = 0; i < plan.length; i++) plan[i] = (i * 1000) / OVERDRIVE_RATE;
  // The task is call() itself, as runLoad's is runFlow: no wrapper promise of the bench's own on pitsim's side.
  const r = await runOpenModel<number>({
    plan,
    offsetMs: (t) => t,
    run: (_t, _plannedAt, signal) => call(ctx, client, 'identify', LOOKUP, rng, signal),
    maxInFlight: CONCURRENCY,
    durationMs: seconds * 1000,
    gracefulStopMs: 5000,
    lagWarnMs: Infinity,
  });
  await client.close();
  let ok = 0;
  for (const tally of Object.values(ctx.endpoints.encode())) ok += tally.statusCounts['200'] ?? 0;
  const errors = ctx.counters.requests - ok;
  const s = ctx.serviceTime.summary();
  return { requests: ok, seconds: r.wallMs / 1000, perSec: ok / (r.wallMs / 1000), p50: s.p50, p99: s.p99, errors };
}

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; pipelining: number; headers: Record<string, string> }) => Promise<AutocannonResult>;

async function autocannon(url: string, seconds: number): Promise<Figures> {
  const run = createRequire(import.meta.url)('autocannon') as Autocannon;
  const r = await run({ url: `${url}/Patient?identifier=http%3A%2F%2Ffhir.de%2Fsid%2Fgkv%2Fkvid-10%7CA123456780`, connections: CONCURRENCY, duration: seconds, pipelining: 1, headers: SAME_HEADERS });
  return { requests: r.requests.total, seconds: r.duration, perSec: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
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
try {
  await pitsim(url, WARMUP_SECONDS);
  await autocannon(url, WARMUP_SECONDS);
  // Alternating rounds, so a change in the machine's load hits both tools alike.
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    ours.push(await pitsim(url, SECONDS / ROUNDS));
    theirs.push(await autocannon(url, SECONDS / ROUNDS));
  }
  const a = combine(ours);
  const b = combine(theirs);
  const line = (name: string, f: Figures): string =>
    `${name.padEnd(10)} ${Math.round(f.perSec).toString().padStart(7)} req/s  p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  (${f.requests} requests in ${f.seconds.toFixed(1)} s, ${f.errors} errors, ${CONCURRENCY} concurrent)`;
  console.log(`load bench: canned FHIR Bundle on ${url} (worker thread), concurrency ${CONCURRENCY}, ${SECONDS} s each`);
  console.log(line('pitsim', a));
  console.log(`${line('autocannon', b)}  (autocannon's percentiles are whole ms)`);
  const perRound = ours.map((f, i) => (f.perSec / theirs[i]!.perSec).toFixed(2)).join(' ');
  console.log(`ratio      ${(a.perSec / b.perSec).toFixed(2)}x (target >= 0.9x); per round ${perRound}`);
} finally {
  worker.postMessage('close');
  await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
}
