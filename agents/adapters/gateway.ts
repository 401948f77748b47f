/**
 * The gateway client: a keep-alive pool of undici 7 Clients per FHIR endpoint
 * (connection-pool.ts; no pipelining), timeouts, TLS and mutual TLS (client
 * certificate and key, CA bundle), and a result that never throws: the HTTP
 * answer (status, headers and JSON body, both decoded only when read) or a
 * transport failure classified as TIMEOUT, CONNECTION (refused, reset,
 * closed), TLS (handshake or certificate) or ABORTED (the run was stopped).
 * A TLS 1.3 server that refuses the client certificate alerts after the
 * client's handshake is over, so the client sees the connection close:
 * CONNECTION, not TLS. Requests use undici's low-level dispatch API; the
 * timeout is undici's own connect, headers and body timers (no timer per
 * request here), so it bounds the wait for the answer to start and each pause
 * within it. Times are wall-clock ms from `performance.now()` (adapters are
 * the one place in agents/ that may read the wall clock).
 */
import { performance } from 'node:perf_hooks';
import { ConnectionPool, type SlotHandler } from './connection-pool.ts';

export type TransportError = 'TIMEOUT' | 'CONNECTION' | 'TLS' | 'ABORTED';

export interface TlsOptions {
  /** PEM client certificate (mutual TLS). */
  readonly cert?: string | Buffer;
  /** PEM key of the client certificate. */
  readonly key?: string | Buffer;
  /** PEM CA bundle that signs the server certificate. */
  readonly ca?: string | Buffer;
  /** false accepts any server certificate (`--insecure`); default true. */
  readonly rejectUnauthorized?: boolean;
}

export interface GatewayOptions {
  /** FHIR base URL, e.g. `http://127.0.0.1:8080/fhir`. */
  readonly url: string;
  /** Time allowed to connect, to receive the answer's headers, and for each pause in its body, ms. */
  readonly timeoutMs: number;
  /** Keep-alive connections in the pool. */
  readonly connections: number;
  readonly tls?: TlsOptions;
  /** Idle keep-alive time of a pooled socket, ms (default 30 s). */
  readonly keepAliveMs?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface GatewayRequest {
  readonly method: HttpMethod;
  /** Path relative to the FHIR base, with its query (`Patient?identifier=...`); '' is the base itself. */
  readonly path: string;
  /** JSON body (serialised here), or a pre-serialised string. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request (the run is stopping). */
  readonly signal?: AbortSignal;
}

interface Timing {
  /** performance.now() when the request was handed to the pool. */
  readonly sentAt: number;
  /** performance.now() when the whole body was read, or the failure happened. */
  readonly doneAt: number;
}

export type GatewayResult =
  /** `body` is the parsed JSON (null when empty or not JSON), parsed on first read: a load run mostly needs only the status. */
  | (Timing & { readonly ok: true; readonly status: number; readonly headers: ResponseHeaders; readonly body: unknown })
  | (Timing & { readonly ok: false; readonly error: TransportError; readonly message: string });

const TLS_CODES = new Set([
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Which transport failure an error is (its code, or its cause's). */
export function classifyError(err: unknown): TransportError {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (TIMEOUT_CODES.has(code)) return 'TIMEOUT';
    if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.startsWith('ERR_OSSL')) return 'TLS';
  }
  return 'CONNECTION';
}

export class GatewayClient {
  readonly url: string;
  readonly timeoutMs: number;
  private readonly pool: ConnectionPool;
  private readonly basePath: string;
  private closed = false;
  /** pathFor's last argument and answer. */
  private lastRel: string | null = null;
  private lastPath = '';

  constructor(options: GatewayOptions) {
    const u = new URL(options.url);
    this.url = options.url;
    this.timeoutMs = options.timeoutMs;
    this.basePath = u.pathname.replace(/\/+$/, '');
    const tls = options.tls;
    this.onWire = new Array<Exchange | null>(options.connections).fill(null);
    this.pool = new ConnectionPool(u.origin, options.connections, {
      keepAliveTimeout: options.keepAliveMs ?? 30_000,
      keepAliveMaxTimeout: Math.max(options.keepAliveMs ?? 30_000, 60_000),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeout: Math.min(options.timeoutMs, 10_000),
      connect:
        tls === undefined
          ? {}
          : {
              ...(tls.cert === undefined ? {} : { cert: tls.cert }),
              ...(tls.key === undefined ? {} : { key: tls.key }),
              ...(tls.ca === undefined ? {} : { ca: tls.ca }),
              rejectUnauthorized: tls.rejectUnauthorized ?? true,
            },
    });
  }

  /** Full request path for a path relative to the base. */
  pathFor(rel: string): string {
    // The last path asked for, kept: a load run sends the same lookup over and over, and undici
    // reads the path as one flat string (a fresh concatenation would be flattened every time).
    if (rel === this.lastRel) return this.lastPath;
    let path: string;
    if (rel === '') path = this.basePath === '' ? '/' : this.basePath;
    else path = rel.charCodeAt(0) === 47 ? `${this.basePath}/${rel.replace(/^\/+/, '')}` : `${this.basePath}/${rel}`;
    this.lastRel = rel;
    this.lastPath = path;
    return path;
  }

  /** Sends one request; never throws. `signal` (or `req.signal`) aborts it. */
  request(req: GatewayRequest, signal: AbortSignal | undefined = req.signal): Promise<GatewayResult> {
    const queuedAt = performance.now();
    if (this.closed || signal?.aborted === true) return Promise.resolve({ ok: false, error: 'ABORTED', message: 'the run stopped', sentAt: queuedAt, doneAt: queuedAt });
    let headers: string[] = ACCEPT;
    let body: string | null = null;
    if (req.body !== undefined || req.headers !== undefined) {
      headers = [...ACCEPT];
      for (const k in req.headers) headers.push(k, req.headers[k]!);
      if (req.body !== undefined) {
        body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
        headers.push('content-type', 'application/fhir+json');
      }
    }
    const x = new Exchange(this, signal, queuedAt);
    nextExchange = x;
    const answer = new Promise<GatewayResult>(adopt);
    this.pool.dispatch({ method: req.method, path: this.pathFor(req.path), headers, body }, x);
    return answer;
  }

  /** @internal */
  isClosed(): boolean {
    return this.closed;
  }

  /**
   * The request on the wire on each connection (at most one: no pipelining),
   * so a stop signal reaches them without a per-request listener or set entry:
   * a signal gets one abort listener, the first time a request carries it.
   */
  private readonly onWire: (Exchange | null)[];
  private lastSignal: AbortSignal | null = null;
  private readonly listened = new WeakSet<AbortSignal>();

  /** @internal `h` is on the wire on connection `slot`; aborting its signal aborts it. */
  wired(slot: number, h: Exchange, signal: AbortSignal): void {
    this.onWire[slot] = h;
    if (signal === this.lastSignal) return;
    this.lastSignal = signal;
    if (this.listened.has(signal)) return;
    this.listened.add(signal);
    signal.addEventListener('abort', () => this.abortWired(signal), { once: true });
  }

  private abortWired(signal: AbortSignal): void {
    const err = new Error('the run stopped');
    for (let i = 0; i < this.onWire.length; i++) {
      const h = this.onWire[i];
      if (h !== null && h !== undefined && h.signal === signal) h.abortNow(err);
    }
  }

  /** @internal Frees the connection a request used. */
  release(slot: number): void {
    this.onWire[slot] = null;
    this.pool.release(slot);
  }

  /** Closes the pool (pending requests are aborted). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.destroy(new Error('the client was closed'));
  }
}

const ACCEPT: string[] = ['accept', 'application/fhir+json'];

/** An answer's headers, decoded only when one is asked for (most answers are never asked). */
export class ResponseHeaders {
  private map: Map<string, string> | null = null;

  constructor(private readonly raw: readonly (Buffer | string)[]) {}

  /** The value of a header (case-insensitive), repeated ones joined with `, `. */
  get(name: string): string | undefined {
    if (this.map === null) {
      const m = new Map<string, string>();
      for (let i = 0; i + 1 < this.raw.length; i += 2) {
        const k = this.raw[i]!.toString().toLowerCase();
        const v = this.raw[i + 1]!.toString();
        const before = m.get(k);
        m.set(k, before === undefined ? v : `${before}, ${v}`);
      }
      this.map = m;
    }
    return this.map.get(name.toLowerCase());
  }

  /** Every header, names lower-cased. */
  toRecord(): Record<string, string> {
    this.get('');
    return Object.fromEntries(this.map!);
  }
}

/** The promise executor of `request`: one shared function, no closure per request (Node 20 has no Promise.withResolvers). */
let nextExchange: Exchange | null = null;
function adopt(resolve: (r: GatewayResult) => void): void {
  nextExchange!.resolve = resolve;
  nextExchange = null;
}

/**
 * One request: its undici handler (undici's raw callbacks), and, once
 * answered, the answer itself: status, headers decoded on first read, body
 * decoded and parsed on first read (a load run mostly needs only the status).
 * One object per request, not a handler plus an answer plus its headers: at
 * tens of thousands of requests a second each allocation shows (bench:load).
 * Settles its promise exactly once, and frees its connection then.
 */
class Exchange implements SlotHandler {
  readonly ok = true as const;
  slot = -1;
  status = 0;
  sentAt: number;
  doneAt = 0;
  resolve: ((r: GatewayResult) => void) | null = null;
  private abort: ((err?: Error) => void) | null = null;
  private raw: readonly Buffer[] = EMPTY;
  private decodedHeaders: ResponseHeaders | null = null;
  /** The body's first chunk (most answers have one), until the body is first read. */
  private chunk: Buffer | null = null;
  /** Its further chunks, if any. */
  private chunks: Buffer[] | null = null;
  private parsed: unknown = null;
  private settled = false;

  constructor(
    private readonly client: GatewayClient,
    readonly signal: AbortSignal | undefined,
    queuedAt: number,
  ) {
    this.sentAt = queuedAt;
  }

  get headers(): ResponseHeaders {
    return (this.decodedHeaders ??= new ResponseHeaders(this.raw));
  }

  get body(): unknown {
    const first = this.chunk;
    if (first === null) return this.parsed;
    const rest = this.chunks;
    this.chunk = null;
    this.chunks = null;
    const text = rest === null ? first.toString('utf8') : Buffer.concat([first, ...rest]).toString('utf8');
    if (text.length > 0) {
      try {
        this.parsed = JSON.parse(text);
      } catch {
        this.parsed = null;
      }
    }
    return this.parsed;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.sentAt = performance.now();
    if (this.signal === undefined) return;
    if (this.signal.aborted) abort(new Error('the run stopped'));
    else this.client.wired(this.slot, this, this.signal);
  }

  /** @internal The run stopped while this request was on the wire. */
  abortNow(err: Error): void {
    this.abort?.(err);
  }

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    this.status = statusCode;
    this.raw = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.chunk === null) this.chunk = chunk;
    else if (this.chunks === null) this.chunks = [chunk];
    else this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.doneAt = performance.now();
    this.settle(this);
  }

  onError(err: Error): void {
    const doneAt = performance.now();
    if (this.signal?.aborted === true || this.client.isClosed()) this.settle({ ok: false, error: 'ABORTED', message: 'the run stopped', sentAt: this.sentAt, doneAt });
    else this.settle({ ok: false, error: classifyError(err), message: err.message, sentAt: this.sentAt, doneAt });
  }

  onUpgrade(): void {
    this.onError(new Error('unexpected protocol upgrade'));
  }

  onBodySent(): void {}

  private settle(r: GatewayResult): void {
    if (this.settled) return;
    this.settled = true;
    if (this.slot >= 0) this.client.release(this.slot);
    this.resolve!(r);
  }
}
const EMPTY: readonly Buffer[] = [];

/** Seconds (or an HTTP date) of a Retry-After header, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: ResponseHeaders): number | undefined {
  const v = headers.get('retry-after');
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
