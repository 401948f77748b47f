/**
 * The gateway client: one undici 7 Pool per FHIR endpoint (keep-alive
 * connections, no pipelining), a total timeout per request, TLS and mutual
 * TLS (client certificate and key, CA bundle), and a result that never
 * throws: either the HTTP answer (status, headers, parsed JSON body) or a
 * transport failure classified as TIMEOUT, CONNECTION (refused, reset,
 * closed), TLS (handshake or certificate) or ABORTED (the run was stopped).
 * Times are wall-clock milliseconds from `performance.now()` (adapters are
 * the one place in agents/ that may read the wall clock).
 */
import { Pool } from 'undici';

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
  /** Total time allowed per request (connect, send, headers, body), ms. */
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
  | (Timing & { readonly ok: true; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: unknown })
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
  private readonly pool: Pool;
  private readonly basePath: string;
  private closed = false;

  constructor(options: GatewayOptions) {
    const u = new URL(options.url);
    this.url = options.url;
    this.timeoutMs = options.timeoutMs;
    this.basePath = u.pathname.replace(/\/+$/, '');
    const tls = options.tls;
    this.pool = new Pool(u.origin, {
      connections: options.connections,
      pipelining: 1,
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
    return `${this.basePath}/${rel.replace(/^\/+/, '')}`;
  }

  /** Sends one request; never throws. */
  async request(req: GatewayRequest): Promise<GatewayResult> {
    const sentAt = performance.now();
    const aborted = (): boolean => req.signal?.aborted === true;
    if (this.closed || aborted()) return { ok: false, error: 'ABORTED', message: 'the run stopped', sentAt, doneAt: sentAt };
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, this.timeoutMs);
    const onAbort = (): void => ac.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = { accept: 'application/fhir+json', ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] = 'application/fhir+json';
    }
    try {
      const res = await this.pool.request({ method: req.method, path: this.pathFor(req.path), headers, body: body ?? null, signal: ac.signal });
      const text = await res.body.text();
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
      let parsed: unknown = null;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = null;
        }
      }
      return { ok: true, status: res.statusCode, headers: flat, body: parsed, sentAt, doneAt: performance.now() };
    } catch (err) {
      const doneAt = performance.now();
      if (timedOut) return { ok: false, error: 'TIMEOUT', message: `no answer within ${this.timeoutMs} ms`, sentAt, doneAt };
      if (aborted()) return { ok: false, error: 'ABORTED', message: 'the run stopped', sentAt, doneAt };
      return { ok: false, error: classifyError(err), message: err instanceof Error ? err.message : String(err), sentAt, doneAt };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Closes the pool (pending requests are aborted). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.destroy();
  }
}

/** Seconds (or an HTTP date) of a Retry-After header, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: Readonly<Record<string, string>>): number | undefined {
  const v = headers['retry-after'];
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
