/**
 * AdapterSpec: a scenario node bound to a real FHIR R4 endpoint, for
 * `pitsim load` (agents/adapters/). Written in YAML under `adapters:` keyed by
 * a node id or pattern (`ncp.FR`, `pharmacy.FR.*`), or given on the command
 * line with `--bind node=url`. Plain, frozen, JSON-serialisable like the rest
 * of the ScenarioSpec; the pure simulator ignores it.
 *
 * Any http(s) URL is accepted here; the test suite only ever uses loopback
 * (127.0.0.1) endpoints, and a load run sends real traffic to whatever URL is
 * written, so point it only at gateways you are allowed to load.
 */

/** Client certificate material for (mutual) TLS: file paths as written, resolved against the scenario's folder. */
export interface AdapterTlsSpec {
  /** PEM client certificate (mTLS); needs `key`. */
  readonly cert?: string;
  /** PEM private key of the client certificate; needs `cert`. */
  readonly key?: string;
  /** PEM CA bundle that signs the gateway's certificate (replaces the default trust store). */
  readonly ca?: string;
}

export interface AdapterSpec {
  /** FHIR base URL, e.g. `http://127.0.0.1:8080/fhir` (no trailing slash). */
  readonly url: string;
  /** Client timeout per request, ms (default DEFAULT_ADAPTER_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Keep-alive connections in the pool to this endpoint (default DEFAULT_ADAPTER_CONNECTIONS). */
  readonly connections: number;
  /** TLS options; only for https URLs. */
  readonly tls?: AdapterTlsSpec;
  /** How the Patient Summary is fetched (absent: DEFAULT_SUMMARY_MODE). */
  readonly summary?: SummaryMode;
}

/**
 * How a gateway serves the Patient Summary:
 * - `operation`: `GET Patient/{id}/$summary` (HL7 IPS), one request;
 * - `documentReference`: MHD style, `GET DocumentReference?patient=&type=
 *   http://loinc.org|60591-5&status=current`, then the document its
 *   attachment points to (a Bundle or a Binary), like XCA query then retrieve;
 * - `auto`: the endpoint's CapabilityStatement (`GET metadata`, read once per
 *   endpoint) decides: `operation` when it declares the `summary` operation,
 *   else `documentReference`.
 */
export type SummaryMode = 'operation' | 'documentReference' | 'auto';
export const SUMMARY_MODES: readonly SummaryMode[] = Object.freeze(['operation', 'documentReference', 'auto']);

/**
 * `operation`: what pitsim always did, so existing scenarios, prepared
 * gateways and endpoint tallies stay as they were (`--prepare` seeds no
 * documents, no `metadata` request is added to the figures).
 */
export const DEFAULT_SUMMARY_MODE: SummaryMode = 'operation';

/** 10 s: a load run is bounded in wall time, so OpenNCP's 180 s default would outlast most runs. */
export const DEFAULT_ADAPTER_TIMEOUT_MS = 10_000;
export const DEFAULT_ADAPTER_CONNECTIONS = 16;
