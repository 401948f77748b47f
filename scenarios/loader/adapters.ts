/**
 * `adapters:` -> node bindings for `pitsim load`: a mapping from a node id or
 * pattern to a real FHIR endpoint,
 *
 *   adapters:
 *     ncp.FR: { url: http://127.0.0.1:8080/fhir, timeout: 10s, connections: 16,
 *               tls: { cert: client.pem, key: client.key, ca: ca.pem },
 *               summary: documentReference }
 *
 * Keys are matched like fault targets: `ncp.FR`, `pharmacy.FR.3`, with `*` for
 * any characters within one part (`pharmacy.FR.*`), and must match at least
 * one node of the declared countries. `url` is any http(s) URL (the tests use
 * loopback only; see scenarios/adapter-spec.ts), `tls` only goes with https,
 * and a client `cert` needs its `key`; `summary` is one of SUMMARY_MODES
 * (absent: the default, not written into the spec). The same checks serve
 * `--bind` (checkBinding) and `--summary-via` (checkSummaryMode), so both
 * report problems the same way.
 */
import { isScalar } from 'yaml';
import { closest } from '../../engine/index.ts';
import { DEFAULT_ADAPTER_CONNECTIONS, DEFAULT_ADAPTER_TIMEOUT_MS, SUMMARY_MODES, type AdapterSpec, type AdapterTlsSpec, type SummaryMode } from '../adapter-spec.ts';
import type { CountrySpec } from '../spec.ts';
import type { Context } from './context.ts';
import { child, isNull, type Entry, type Reader, type Value } from './reader.ts';

const ADAPTER_KEYS = ['url', 'timeout', 'connections', 'tls', 'summary'];
const TLS_KEYS = ['cert', 'key', 'ca'];
const NODE_PATTERN = /^[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*$/;
const URL_EXAMPLE = 'an http(s) URL such as http://127.0.0.1:8080/fhir';

export function readAdapters(ctx: Context, e: Entry | undefined, countries: Readonly<Record<string, CountrySpec>>): Record<string, AdapterSpec> | undefined {
  if (e === undefined || isNull(e.value)) return undefined;
  const { r } = ctx;
  const entries = r.entries(e.value, e.path, 'a mapping of node ids to endpoints, such as `ncp.FR: { url: http://127.0.0.1:8080/fhir }`');
  if (entries === undefined) return undefined;
  const ids = nodeIds(countries);
  const out: Record<string, AdapterSpec> = {};
  for (const a of entries) {
    const problem = checkNode(a.key, ids, Object.keys(countries).length === 0);
    if (problem !== undefined) r.report(a.keyNode, a.path, problem.message, { expected: problem.expected, hint: problem.hint });
    const spec = readAdapter(r, a.value, a.path);
    if (spec !== undefined && problem === undefined) out[a.key] = spec;
  }
  return out;
}

function readAdapter(r: Reader, node: Value, path: string): AdapterSpec | undefined {
  const f = r.fields(node, path, ADAPTER_KEYS, ['url']);
  if (f === undefined) return undefined;
  const u = f.get('url');
  const t = f.get('timeout');
  const c = f.get('connections');
  const tlsEntry = f.get('tls');
  const summaryEntry = f.get('summary');
  let url: string | undefined;
  if (u !== undefined) {
    const text = r.text(u.value, u.path, URL_EXAMPLE);
    if (text !== undefined) {
      const problem = checkUrl(text);
      if (problem === undefined) url = normaliseUrl(text);
      else r.report(u.value, u.path, problem.message, { expected: URL_EXAMPLE, hint: problem.hint });
    }
  }
  const timeoutMs = t === undefined ? DEFAULT_ADAPTER_TIMEOUT_MS : r.duration(t.value, t.path, true);
  const connections = c === undefined ? DEFAULT_ADAPTER_CONNECTIONS : r.integer(c.value, c.path, 1);
  const tls = tlsEntry === undefined ? null : readTls(r, tlsEntry);
  const summary = summaryEntry === undefined ? null : readSummaryMode(r, summaryEntry);
  if (tlsEntry !== undefined && url !== undefined && !url.startsWith('https:')) {
    r.report(tlsEntry.keyNode, tlsEntry.path, '`tls` applies to https URLs only', { hint: `write the url as https://${url.slice('http://'.length)}, or remove \`tls\`` });
    return undefined;
  }
  if (url === undefined || timeoutMs === undefined || connections === undefined || tls === undefined || summary === undefined) return undefined;
  return { url, timeoutMs, connections, ...(tls === null ? {} : { tls }), ...(summary === null ? {} : { summary }) };
}

/** The summary mode; undefined after reporting a problem. */
function readSummaryMode(r: Reader, e: Entry): SummaryMode | undefined {
  if (!isScalar(e.value) || typeof e.value.value !== 'string') {
    r.wrongType(e.value, e.path, SUMMARY_MODES_EXPECTED);
    return undefined;
  }
  const checked = checkSummaryMode(e.value.value);
  if ('mode' in checked) return checked.mode;
  r.report(e.value, e.path, checked.problem.message, { expected: checked.problem.expected, hint: checked.problem.hint });
  return undefined;
}

const SUMMARY_MODES_EXPECTED = `one of ${SUMMARY_MODES.join(', ')}`;

/** `summary:` or `--summary-via`: the mode, or why the text is not one. */
export function checkSummaryMode(text: string): { mode: SummaryMode } | { problem: BindingProblem } {
  const mode = SUMMARY_MODES.find((m) => m === text);
  if (mode !== undefined) return { mode };
  const near = closest(text, SUMMARY_MODES);
  return {
    problem: {
      message: `unknown value \`${text}\``,
      expected: SUMMARY_MODES_EXPECTED,
      hint: near !== undefined ? `did you mean \`${near}\`?` : 'operation is `Patient/{id}/$summary`, documentReference a DocumentReference search then its document, auto asks the CapabilityStatement',
    },
  };
}

/** The tls mapping; undefined after reporting a problem. */
function readTls(r: Reader, e: Entry): AdapterTlsSpec | undefined {
  const f = r.fields(e.value, e.path, TLS_KEYS);
  if (f === undefined) return undefined;
  const out: { cert?: string; key?: string; ca?: string } = {};
  let ok = true;
  for (const k of TLS_KEYS) {
    const x = f.get(k);
    if (x === undefined) continue;
    const v = r.text(x.value, x.path, 'a path to a PEM file');
    if (v === undefined) ok = false;
    else out[k as 'cert' | 'key' | 'ca'] = v;
  }
  if ((out.cert === undefined) !== (out.key === undefined) && ok) {
    const has = out.cert !== undefined ? 'cert' : 'key';
    const lacks = has === 'cert' ? 'key' : 'cert';
    r.report(e.value, child(e.path, lacks), `a client \`${has}\` needs its \`${lacks}\``, { hint: `add \`${lacks}: ...\` (PEM file)` });
    return undefined;
  }
  return ok ? out : undefined;
}

/** Every node id of the declared countries, in the order faults list them. */
export function nodeIds(countries: Readonly<Record<string, CountrySpec>>): string[] {
  const ids: string[] = [];
  for (const c of Object.keys(countries).sort()) {
    const spec = countries[c]!;
    ids.push(`ncp.${c}`);
    for (let i = 0; i < spec.pharmacies.count; i++) ids.push(`pharmacy.${c}.${i}`);
    for (let i = 0; i < spec.hospitals.count; i++) ids.push(`hospital.${c}.${i}`);
  }
  return ids;
}

/** A node pattern as agents/faults reads it: `*` stands for any characters within one part. */
export function nodePattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')}$`);
}

export interface BindingProblem {
  readonly message: string;
  readonly expected?: string;
  readonly hint?: string;
}

/** Why a node id or pattern cannot be bound (undefined when it matches a node). */
export function checkNode(pattern: string, ids: readonly string[], noCountries = false): BindingProblem | undefined {
  if (noCountries) return undefined; // reported under countries:
  if (!NODE_PATTERN.test(pattern)) {
    return { message: `\`${pattern}\` is not a node id`, expected: 'a node id or pattern such as ncp.FR or pharmacy.FR.*', hint: 'node ids are parts joined by `.`, each letters, digits or `*`' };
  }
  const re = nodePattern(pattern);
  if (ids.some((id) => re.test(id))) return undefined;
  const near = closest(pattern, ids);
  const ncps = ids.filter((id) => id.startsWith('ncp.'));
  const example = ncps.length === 0 ? 'ncp.FR' : `${ncps.slice(0, 2).join(', ')} or pharmacy.${ncps[0]!.slice(4)}.*`;
  return {
    message: 'matches no node',
    expected: `a node of the declared countries, such as ${example}`,
    hint: near !== undefined ? `did you mean \`${near}\`?` : 'node ids are ncp.<country>, pharmacy.<country>.<n> and hospital.<country>.<n>',
  };
}

/** Why a URL cannot be an adapter endpoint (undefined when it can). */
export function checkUrl(text: string): { message: string; hint?: string } | undefined {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { message: `\`${text}\` is not a URL`, hint: /^[\w.-]+(:\d+)?(\/|$)/.test(text) ? `write http://${text}` : undefined };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { message: `\`${u.protocol}\` is not http or https`, hint: 'FHIR gateways are reached over http(s)' };
  if (u.search !== '' || u.hash !== '') return { message: 'a FHIR base URL has no query or fragment', hint: `write ${u.origin}${u.pathname}` };
  if (u.username !== '' || u.password !== '') return { message: 'credentials do not belong in the URL', hint: 'use tls client certificates' };
  return undefined;
}

/** The base URL without a trailing slash. */
export function normaliseUrl(text: string): string {
  const u = new URL(text);
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.origin}${path}`;
}

/** `--bind node=url`: the binding, or the problem and the 1-based column it starts at. */
export function checkBinding(
  text: string,
  countries: Readonly<Record<string, CountrySpec>>,
): { ok: true; node: string; url: string } | { ok: false; column: number; problem: BindingProblem } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, column: 1, problem: { message: `\`${text}\` is not a binding`, expected: 'node=url, such as ncp.FR=http://127.0.0.1:8080/fhir' } };
  const node = text.slice(0, eq).trim();
  const url = text.slice(eq + 1).trim();
  const np = checkNode(node, nodeIds(countries));
  if (np !== undefined) return { ok: false, column: 1, problem: np };
  const up = checkUrl(url);
  if (up !== undefined) return { ok: false, column: eq + 2, problem: { ...up, expected: URL_EXAMPLE } };
  return { ok: true, node, url: normaliseUrl(url) };
}
