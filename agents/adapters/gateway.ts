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

  constructor(options: GatewayOptions) {
    const u = new URL(options.url);
    this.url = options.url;
    this.timeoutMs = options.timeoutMs;
    this.basePath = u.pathname.replace(/\/+$/, '');
    const tls = options.tls;
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
    if (rel === '') return this.basePath === '' ? '/' : this.basePath;
    // On every request: a regex replace only when the path does start with a slash.
    return rel.charCodeAt(0) === 47 ? `${this.basePath}/${rel.replace(/^\/+/, '')}` : `${this.basePath}/${rel}`;
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
    return new Promise<GatewayResult>((resolve) => {
      this.pool.dispatch({ method: req.method, path: this.pathFor(req.path), headers, body }, new ResponseHandler(this, signal, queuedAt, resolve));
    });
  }

  /** @internal */
  isClosed(): boolean {
    return this.closed;
  }

  /** Requests on the wire, by the signal that stops them: one abort listener per signal, not per request. */
  private readonly bySignal = new Map<AbortSignal, Set<(err?: Error) => void>>();

  /** @internal */
  track(signal: AbortSignal, c: (err?: Error) => void): void {
    let set = this.bySignal.get(signal);
    if (set === undefined) {
      const s = new Set<(err?: Error) => void>();
      set = s;
      this.bySignal.set(signal, s);
      signal.addEventListener(
        'abort',
        () => {
          for (const abort of s) abort(new Error('the run stopped'));
          s.clear();
          this.bySignal.delete(signal);
        },
        { once: true },
      );
    }
    set.add(c);
  }

  /** @internal */
  untrack(signal: AbortSignal, c: (err?: Error) => void): void {
    this.bySignal.get(signal)?.delete(c);
  }

  /** @internal Frees the connection a request used. */
  release(slot: number): void {
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

/** A successful answer; the body is decoded and parsed on first read. */
class Answer {
  readonly ok = true as const;
  private parsed: unknown = undefined;

  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    private chunks: Buffer[] | null,
    readonly sentAt: number,
    readonly doneAt: number,
  ) {}

  get body(): unknown {
    const c = this.chunks;
    if (c === null) return this.parsed;
    this.chunks = null;
    const text = c.length === 0 ? '' : c.length === 1 ? c[0]!.toString('utf8') : Buffer.concat(c).toString('utf8');
    this.parsed = null;
    if (text.length > 0) {
      try {
        this.parsed = JSON.parse(text);
      } catch {
        this.parsed = null;
      }
    }
    return this.parsed;
  }
}

/**
 * One request's undici handler (undici's raw callbacks: headers stay
 * undecoded until asked for). A class, not closures: one allocation per
 * request. Settles its promise exactly once, and frees its connection then.
 */
class ResponseHandler implements SlotHandler {
  slot = -1;
  private abort: ((err?: Error) => void) | null = null;
  private sentAt: number;
  private status = 0;
  private raw: readonly Buffer[] = [];
  private chunks: Buffer[] = [];
  private settled = false;

  constructor(
    private readonly client: GatewayClient,
    private readonly signal: AbortSignal | undefined,
    queuedAt: number,
    private readonly resolve: (r: GatewayResult) => void,
  ) {
    this.sentAt = queuedAt;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.sentAt = performance.now();
    if (this.signal === undefined) return;
    if (this.signal.aborted) abort(new Error('the run stopped'));
    else this.client.track(this.signal, abort);
  }

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    this.status = statusCode;
    this.raw = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.settle(new Answer(this.status, new ResponseHeaders(this.raw), this.chunks, this.sentAt, performance.now()));
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
    if (this.abort !== null && this.signal !== undefined) this.client.untrack(this.signal, this.abort);
    this.resolve(r);
  }
}

/** Seconds (or an HTTP date) of a Retry-After header, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: ResponseHeaders): number | undefined {
  const v = headers.get('retry-after');
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
