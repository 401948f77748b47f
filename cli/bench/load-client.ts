/**
 * One client of `npm run bench:load` (load.ts), run in a worker thread of its
 * own: pitsim's load generator or autocannon, never both in one V8 heap. In
 * one heap, autocannon's young-generation collections took 50 ms of a 2 s
 * round in some runs and 290 ms in others (66k requests/s against 83k),
 * depending on what had run in that heap before; apart, each tool runs as if
 * alone, as `pitsim load` and the autocannon CLI do.
 *
 * The worker module of a one-thread TaskPool (piscina), one pool per tool:
 * the thread, and its JIT state, lasts from the warm-up to the last round.
 * Each task runs one round and answers with its Figures.
 */
import { createRequire } from 'node:module';
import type { PoolTask, WorkerReply } from '../../engine/pool.ts';
import { errorData } from '../../engine/worker-error.ts';
import { RandomStream } from '../../engine/index.ts';
import { call, EndpointStats, GatewayClient, runOpenModel, type GatewayRequest } from '../../agents/adapters/index.ts';

export type Tool = 'pitsim' | 'autocannon';

export interface ClientRound {
  readonly tool: Tool;
  readonly url: string;
  readonly concurrency: number;
  readonly seconds: number;
}

export interface Figures {
  requests: number;
  seconds: number;
  perSec: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Planned starts per second: far above what one loopback endpoint serves, so the generator is never the idle party. */
const OVERDRIVE_RATE = 200_000;
const LOOKUP_PATH = 'Patient?identifier=http%3A%2F%2Ffhir.de%2Fsid%2Fgkv%2Fkvid-10%7CA123456780';
const LOOKUP: GatewayRequest = { method: 'GET', path: LOOKUP_PATH };
/**
 * The header pitsim's client sends beyond host and connection (both tools
 * send those): autocannon sends it too, so the server parses the same request
 * from either and the figures compare the clients alone.
 */
const SAME_HEADERS = { accept: 'application/fhir+json' };

async function pitsim(url: string, concurrency: number, seconds: number): Promise<Figures> {
  const client = new GatewayClient({ url, timeoutMs: 10_000, connections: concurrency });
  const ctx = {
    endpoints: new EndpointStats(),
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
    maxInFlight: concurrency,
    durationMs: seconds * 1000,
    gracefulStopMs: 5000,
    lagWarnMs: Infinity,
  });
  await client.close();
  let ok = 0;
  for (const tally of Object.values(ctx.endpoints.encode())) ok += tally.statusCounts['200'] ?? 0;
  const errors = ctx.counters.requests - ok;
  const s = ctx.endpoints.serviceTime().summary();
  return { requests: ok, seconds: r.wallMs / 1000, perSec: ok / (r.wallMs / 1000), p50: s.p50, p99: s.p99, errors };
}

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  non2xx: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  headers: Record<string, string>;
}
type Autocannon = (opts: AutocannonOptions) => Promise<unknown>;
/** What autocannon's own multi-thread mode runs on its main thread over its workers' raw results. */
type Aggregate = (raw: unknown, opts: AutocannonOptions) => AutocannonResult;

async function autocannon(url: string, concurrency: number, seconds: number): Promise<Figures> {
  const require = createRequire(import.meta.url);
  const run = require('autocannon') as Autocannon;
  const opts: AutocannonOptions = { url: `${url}/${LOOKUP_PATH}`, connections: concurrency, duration: seconds, pipelining: 1, headers: SAME_HEADERS };
  // Off the main thread autocannon takes itself for one of its own workers and returns its raw
  // (encoded) result, for its main thread to aggregate: aggregate it here, with its own code.
  const r = (require('autocannon/lib/aggregateResult') as Aggregate)(await run(opts), opts);
  return { requests: r.requests.total, seconds: r.duration, perSec: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

export default async function round(task: PoolTask<ClientRound>): Promise<WorkerReply<Figures>> {
  try {
    const run = task.tool === 'pitsim' ? pitsim : autocannon;
    return { ok: true, result: await run(task.url, task.concurrency, task.seconds) };
  } catch (e) {
    return { ok: false, error: errorData(e) };
  }
}
