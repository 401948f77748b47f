/**
 * `pitsim load <scenario>`: drive real FHIR R4 gateways with the traffic a
 * scenario implies (agents/adapters). Nodes are bound to endpoints under the
 * scenario's `adapters:` or with `--bind node=url` (which wins). With
 * `--prepare` it only seeds each gateway with the population (idempotent)
 * and exits; otherwise it plans the flows of the simulated window
 * [0, duration x speed), starts each at its planned wall time (open model),
 * and reports like `pitsim run` (meta.deterministic false) plus `endpoints`
 * and `load`. `--summary-via` sets how every bound gateway serves the
 * Patient Summary (`$summary`, DocumentReference then the document, or auto:
 * the CapabilityStatement decides); give it to `--prepare` too, which then
 * also seeds the summary documents. Thresholds decide exit 99, bad input exit 2, Ctrl-C exit 130
 * (the partial report is still printed). TLS files are read here, relative
 * to the scenario's folder.
 *
 * Registration (cli/main.ts):
 *
 *   program
 *     .command('load')
 *     .description('drive real FHIR gateways with a scenario\'s traffic (open model, real time)')
 *     .argument('<scenario>', 'scenario YAML file')
 *     .option('--bind <node=url>', 'bind a node (or pattern) to a FHIR endpoint, e.g. ncp.FR=http://127.0.0.1:8080/fhir (repeatable)', collect, [] as string[])
 *     .option('--prepare', 'seed the bound gateways with the population (idempotent), then exit', false)
 *     .option('--summary-via <mode>', 'how every bound gateway serves the Patient Summary: operation ($summary, the default), documentReference (MHD) or auto')
 *     .option('--speed <x>', 'simulated time per wall time (1000: a simulated second per wall ms); default 1', positiveNumber)
 *     .option('--duration <d>', 'wall time during which flows start, e.g. 30s (default 30s)')
 *     .option('--max-in-flight <n>', 'flows outstanding at most; later starts are dropped (default 256)', positiveInt)
 *     .option('-s, --seed <n>', 'root seed (overrides the scenario)', integer)
 *     .option('--set <key.path=value>', 'override any scenario key (repeatable)', collect, [] as string[])
 *     .option('--json', 'print the Report as JSON on stdout (progress stays on stderr)', false)
 *     .option('-o, --out <dir>', 'also write report.json, report.md and csv/ into this folder (each atomically)')
 *     .option('--insecure', 'accept any TLS server certificate (testing only)', false)
 *     .action(async (scenario: string, opts: Omit<LoadArgs, 'scenario'>) => {
 *       code = await loadCommand({ scenario, ...opts }, io);
 *     });
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DistributionError, parseDuration } from '../../engine/index.ts';
import { GatewayClient, prepareGateways, runLoad, type PrepareResult, type TlsOptions } from '../../agents/adapters/index.ts';
import { endpointReport, loadReport, type LoadReport } from '../../reports/load-report.ts';
import { reportJson } from '../../reports/write-json.ts';
import { textSummary } from '../../reports/text-summary.ts';
import { evaluateThresholds, type ReportWithThresholds } from '../../reports/thresholds.ts';
import { DEFAULT_ADAPTER_CONNECTIONS, DEFAULT_ADAPTER_TIMEOUT_MS, DEFAULT_SUMMARY_MODE, type AdapterSpec, type SummaryMode } from '../../scenarios/adapter-spec.ts';
import { checkBinding, checkSummaryMode } from '../../scenarios/loader/adapters.ts';
import { formatIssue } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { EXIT } from '../exit-codes.ts';
import { reportMeta } from '../execute.ts';
import type { Io } from '../io.ts';
import { writeOutputs } from '../write-outputs.ts';
import { loadOrExplain } from './load-or-explain.ts';
import { parseThresholds } from './run.ts';

export interface LoadArgs {
  scenario: string;
  /** `node=url`, repeatable. */
  bind: readonly string[];
  prepare: boolean;
  /** operation | documentReference | auto: the Patient Summary mode of every binding (overrides the scenario's). */
  summaryVia?: string;
  speed?: number;
  /** Wall time during which flows start, e.g. `30s`. */
  duration?: string;
  maxInFlight?: number;
  seed?: number;
  set?: readonly string[];
  json: boolean;
  out?: string;
  insecure: boolean;
}

export const DEFAULT_LOAD_DURATION = '30s';
export const DEFAULT_MAX_IN_FLIGHT = 256;

export async function loadCommand(args: LoadArgs, io: Io): Promise<number> {
  const sets = [...(args.set ?? [])];
  if (args.seed !== undefined) sets.push(`seed=${args.seed}`);
  const loaded = loadOrExplain(args.scenario, sets, io);
  if (typeof loaded === 'number') return loaded;
  const thresholds = parseThresholds(args.scenario, loaded.thresholds, io);
  if (thresholds === null) return EXIT.invalid;

  let durationMs: number;
  try {
    durationMs = parseDuration(args.duration ?? DEFAULT_LOAD_DURATION);
  } catch (err) {
    if (!(err instanceof DistributionError)) throw err;
    io.err(`--duration: bad duration "${args.duration}" (expected a duration such as 30s or 2min)${err.hint ? `; hint: ${err.hint}` : ''}\n`);
    return EXIT.invalid;
  }
  if (!(durationMs > 0)) {
    io.err('--duration: the duration is zero (expected a duration > 0)\n');
    return EXIT.invalid;
  }
  const bound = bindAll(loaded, args.bind, io);
  if (bound === null) return EXIT.invalid;
  const spec = args.summaryVia === undefined ? bound : summaryVia(bound, args.summaryVia, io);
  if (spec === null) return EXIT.invalid;
  if (spec.adapters === undefined || Object.keys(spec.adapters).length === 0) {
    io.err(`${args.scenario}: no node is bound to an endpoint; hint: add \`adapters:\` to the scenario or --bind ncp.FR=http://127.0.0.1:8080/fhir\n`);
    return EXIT.invalid;
  }
  const tls = readTls(args.scenario, spec.adapters, args.insecure, io);
  if (tls === null) return EXIT.invalid;
  const connect = (a: AdapterSpec): GatewayClient => {
    const t = tls.get(a.url);
    return new GatewayClient({ url: a.url, timeoutMs: a.timeoutMs, connections: a.connections, ...(t === undefined ? {} : { tls: t }) });
  };

  const stop = new AbortController();
  const onSigint = (): void => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    if (args.prepare) return await prepare(args, spec, connect, stop.signal, io);
    const speed = args.speed ?? 1;
    const maxInFlight = args.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    io.err(`pitsim load: ${spec.name}, seed ${spec.seed}, speed ${speed}x, ${durationMs / 1000} s, at most ${maxInFlight} in flight\n`);
    for (const [node, a] of Object.entries(spec.adapters)) {
      const summary = (a.summary ?? DEFAULT_SUMMARY_MODE) === DEFAULT_SUMMARY_MODE ? '' : `, summary via ${a.summary}`;
      io.err(`  ${node} -> ${a.url} (timeout ${a.timeoutMs / 1000} s, ${a.connections} connections${a.url.startsWith('https:') ? ', TLS' : ''}${summary})\n`);
    }
    const result = await runLoad(spec, {
      speed,
      durationMs,
      maxInFlight,
      connect,
      signal: stop.signal,
      onWarning: (m) => io.err(`warning: ${m}\n`),
      onProgress: (p) => {
        if (Math.round(p.elapsedMs / 1000) % 5 === 0) io.err(`  ${(p.elapsedMs / 1000).toFixed(0)} s: ${p.started} started, ${p.dropped} dropped, ${p.inFlight} in flight, ${p.requests} requests\n`);
      },
      onPlan: (p) => {
        io.err(
          `  ${p.flows} flows planned in simulated [${fmtSim(p.windowMs[0])}, ${fmtSim(p.windowMs[1])})` +
            `${p.unbound > 0 ? `, ${p.unbound} reach no bound node` : ''}${p.notOffered > 0 ? `, ${p.notOffered} not offered by the countries` : ''}\n`,
        );
        if (p.flows === 0) io.err(`  hint: nothing falls in that window; --speed ${Math.ceil(spec.durationMs / durationMs)} would cover the whole scenario in ${durationMs / 1000} s\n`);
      },
    });
    const { deterministic: _simulated, ...meta } = reportMeta(spec);
    const plain = loadReport(
      meta,
      args.scenario,
      result,
    );
    const evaluated = evaluateThresholds(plain, thresholds);
    const report: LoadReport & ReportWithThresholds = evaluated.length > 0 ? { ...plain, thresholds: evaluated } : plain;
    if (args.out !== undefined) for (const path of writeOutputs(args.out, report)) io.err(`wrote ${path}\n`);
    io.out(args.json ? reportJson(report) : textSummary(report) + loadSummary(report));
    if (result.partial) {
      io.err('interrupted: the report covers the flows started so far (run.partial is true)\n');
      return EXIT.interrupted;
    }
    const failed = evaluated.filter((r) => !r.ok);
    for (const f of failed) io.err(`threshold failed: ${f.expression} (${f.message})\n`);
    return failed.length > 0 ? EXIT.thresholds : EXIT.ok;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The scenario with every --bind applied (a binding overrides the YAML's for the same key); null after printing problems. */
function bindAll(spec: ScenarioSpec, binds: readonly string[], io: Io): ScenarioSpec | null {
  if (binds.length === 0) return spec;
  const adapters: Record<string, AdapterSpec> = { ...spec.adapters };
  let bad = 0;
  for (const text of binds) {
    const b = checkBinding(text, spec.countries);
    if (!b.ok) {
      bad++;
      io.err(formatIssue({ file: '--bind', line: 1, column: b.column, path: text, message: b.problem.message, ...(b.problem.expected === undefined ? {} : { expected: b.problem.expected }), ...(b.problem.hint === undefined ? {} : { hint: b.problem.hint }) }) + '\n');
      continue;
    }
    const before = adapters[b.node];
    adapters[b.node] = {
      url: b.url,
      timeoutMs: before?.timeoutMs ?? DEFAULT_ADAPTER_TIMEOUT_MS,
      connections: before?.connections ?? DEFAULT_ADAPTER_CONNECTIONS,
      ...(before?.tls !== undefined && b.url.startsWith('https:') ? { tls: before.tls } : {}),
      ...(before?.summary !== undefined ? { summary: before.summary } : {}),
    };
  }
  if (bad > 0) {
    io.err(`${bad} bad binding${bad === 1 ? '' : 's'}; nothing was run.\n`);
    return null;
  }
  return { ...spec, adapters };
}

/** The scenario with `--summary-via` applied to every binding; null after printing the problem. */
function summaryVia(spec: ScenarioSpec, text: string, io: Io): ScenarioSpec | null {
  const checked = checkSummaryMode(text);
  if ('problem' in checked) {
    const p = checked.problem;
    io.err(formatIssue({ file: '--summary-via', line: 1, column: 1, path: text, message: p.message, ...(p.expected === undefined ? {} : { expected: p.expected }), ...(p.hint === undefined ? {} : { hint: p.hint }) }) + '\n');
    return null;
  }
  const mode: SummaryMode = checked.mode;
  const adapters = Object.fromEntries(Object.entries(spec.adapters ?? {}).map(([node, a]) => [node, { ...a, summary: mode }]));
  return { ...spec, adapters };
}

/** Reads every TLS file up front (relative paths from the scenario's folder); null after printing problems. */
function readTls(scenarioFile: string, adapters: Readonly<Record<string, AdapterSpec>>, insecure: boolean, io: Io): Map<string, TlsOptions> | null {
  const out = new Map<string, TlsOptions>();
  let bad = 0;
  for (const [node, a] of Object.entries(adapters)) {
    if (!a.url.startsWith('https:') || out.has(a.url)) continue;
    const opts: { cert?: Buffer; key?: Buffer; ca?: Buffer; rejectUnauthorized: boolean } = { rejectUnauthorized: !insecure };
    for (const k of ['cert', 'key', 'ca'] as const) {
      const file = a.tls?.[k];
      if (file === undefined) continue;
      const path = isAbsolute(file) ? file : resolve(dirname(scenarioFile), file);
      try {
        opts[k] = readFileSync(path);
      } catch (err) {
        bad++;
        io.err(`${scenarioFile}: adapters.${node}.tls.${k}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    out.set(a.url, opts);
  }
  return bad > 0 ? null : out;
}

async function prepare(args: LoadArgs, spec: ScenarioSpec, connect: (a: AdapterSpec) => GatewayClient, signal: AbortSignal, io: Io): Promise<number> {
  io.err(`pitsim load --prepare: ${spec.name}, seed ${spec.seed}\n`);
  let lastShown = 0;
  const result: PrepareResult = await prepareGateways(spec, {
    connect,
    signal,
    onProgress: (url, done, total) => {
      if (done === total || done - lastShown >= 500) {
        lastShown = done;
        io.err(`  ${url}: ${done}/${total} patients\n`);
      }
    },
  });
  const endpoints = Object.fromEntries(Object.entries(result.endpoints).map(([k, e]) => [k, endpointReport(e)]));
  if (args.json) io.out(JSON.stringify({ gateways: result.gateways, endpoints, wallMs: Math.round(result.wallMs) }, null, 2) + '\n');
  let failures = 0;
  for (const [url, g] of Object.entries(result.gateways)) {
    const list = (m: Readonly<Record<string, number>>): string => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing';
    const failed = Object.values(g.failed).reduce((a, b) => a + b, 0);
    failures += failed + g.skipped;
    const line = `${url}: ${g.patients} patients; created ${list(g.created)}; already there ${list(g.existing)}${failed > 0 ? `; FAILED ${list(g.failed)}` : ''}${g.skipped > 0 ? `; skipped ${g.skipped}` : ''}\n`;
    if (args.json) io.err(line);
    else io.out(line);
  }
  if (signal.aborted) return EXIT.interrupted;
  return failures > 0 ? EXIT.internal : EXIT.ok;
}

function loadSummary(r: LoadReport): string {
  const out: string[] = ['', 'Load'];
  const l = r.load;
  if (l !== undefined) {
    out.push(`  planned ${l.planned}, started ${l.started}, dropped ${l.dropped}, interrupted ${l.interrupted}, lag warnings ${l.lagWarnings} (max lag ${Math.round(l.maxLagMs)} ms)`);
    out.push(`  requests ${l.requests}, retries ${l.retries}; service time p50 ${l.serviceTimeMs.p50} ms, p99 ${l.serviceTimeMs.p99} ms`);
    const fx = l.faults;
    if (fx.injected.length + Object.keys(fx.notApplicable).length > 0) {
      const per = Object.entries(fx.failed).map(([id, n]) => `${id} ${n}`).join(', ');
      const skipped = Object.keys(fx.notApplicable);
      out.push(`  faults: ${l.faulted} flows failed before any request${per === '' ? '' : ` (${per})`}, ${fx.rerouted} rerouted, ${fx.noSite} found no point of care open${skipped.length > 0 ? `; not applied: ${skipped.join(', ')}` : ''}`);
    }
  }
  for (const [k, e] of Object.entries(r.endpoints ?? {})) {
    const statuses = Object.entries(e.statusCounts).map(([s, n]) => `${s}: ${n}`);
    const errors = Object.entries(e.errors).map(([s, n]) => `${s}: ${n}`);
    out.push(`  ${k}`);
    out.push(`    ${e.requests} requests; ${[...statuses, ...errors].join(', ')}; p50 ${e.latencyMs.p50} ms, p99 ${e.latencyMs.p99} ms`);
  }
  return out.join('\n') + '\n';
}

function fmtSim(ms: number): string {
  if (ms >= 86_400_000) return `${+(ms / 86_400_000).toFixed(2)}d`;
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(2)}h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(2)}min`;
  return `${+(ms / 1000).toFixed(2)}s`;
}
