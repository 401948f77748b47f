/**
 * `pitsim run` with the live dashboard: replications run on the worker pool
 * (the main thread stays free for drawing and keys), the dashboard gets a
 * DashboardState after every progress message and every finished replication
 * (with the partial Report of those finished so far), and q or Ctrl-C aborts
 * the pool, keeping what finished: the Report is then marked partial. The UI
 * (ink) is imported lazily here, so nothing else ever loads it.
 */
import { availableParallelism } from 'node:os';
import { runPool } from '../engine/pool.ts';
import type { ReplicationProgressMessage, ReplicationTask } from '../agents/replication-worker.ts';
import type { ReplicationResult } from '../agents/result.ts';
import type { Report } from '../reports/report.ts';
import { evaluateThresholds, type ReportWithThresholds } from '../reports/thresholds.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';
import { buildReport, runInfo } from './execute.ts';
import { runViaQueue } from './queue/submit.ts';
import type { Io } from './io.ts';
import { fitGcToPool, REPLICATION_RESOURCE_LIMITS } from './gc-helpers.ts';
import { describeReplication, REPLICATION_WORKER } from './run-replications.ts';
import { colorAllowed } from './tui-mode.ts';
import type { DashboardState, FaultLane, RunHeader, WorkerLine } from './ui/dashboard-state.ts';

/** What the caller does with the finished Report before the final screen: thresholds, files. */
export interface Finalized {
  readonly report: ReportWithThresholds;
  /** Paths written, in write order (shown on the final screen). */
  readonly files: readonly string[];
}

export interface DashboardRunOptions {
  readonly scenarioFile: string;
  /** Worker threads (default os.availableParallelism(), at most one per replication). */
  readonly workers?: number;
  /**
   * Called once with the Report (partial or not) before the final screen:
   * evaluate thresholds, write files. Default: evaluate spec.thresholds, write nothing.
   * If it throws, the dashboard is closed and the error propagates.
   */
  finalize?(report: Report, partial: boolean): Finalized | Promise<Finalized>;
  /** Default: colorAllowed(process.env). */
  readonly color?: boolean;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Tests only: the worker module. */
  readonly workerFile?: string | URL;
  /** Run on pitsim workers through this Redis (their progress feeds the dashboard) instead of local threads. */
  readonly queue?: string;
}

export interface DashboardRunResult {
  readonly report: ReportWithThresholds;
  /** Stopped with q or Ctrl-C before every replication finished. */
  readonly partial: boolean;
  readonly files: readonly string[];
}

/** How often elapsed and ETA tick when no progress message arrives. */
const TICK_MS = 250;

export async function runWithDashboard(spec: ScenarioSpec, options: DashboardRunOptions, io: Io): Promise<DashboardRunResult> {
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), spec.replications));
  const header: RunHeader = { scenario: spec.name, seed: spec.seed, replications: spec.replications, workers, durationMs: spec.durationMs, startDate: spec.startDate };
  const faults = faultLanes(spec);
  const abort = new AbortController();
  const ui = await import('./ui/index.ts');
  const dashboard = ui.renderRunDashboard({
    header,
    onQuit: () => abort.abort(),
    color: options.color ?? colorAllowed(process.env),
    ...(options.stdout === undefined ? {} : { stdout: options.stdout }),
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
  });
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);

  const startedAt = new Date();
  const t0 = performance.now();
  const finished = new Map<number, ReplicationResult>();
  const running = new Map<number, { slot: number; events: number; simTimeMs: number }>();
  let doneEvents = 0;
  let partialReport: Report | null = null;
  /** With --queue: completed count and events as the remote workers report them. */
  let remote: { done: number; events: number } | null = null;

  const freeSlot = (): number => {
    const used = new Set([...running.values()].map((r) => r.slot));
    let s = 1;
    while (used.has(s)) s++;
    return s;
  };
  const push = (): void => {
    const elapsedMs = performance.now() - t0;
    let events = remote === null ? doneEvents : remote.events;
    let progressed = remote === null ? finished.size : remote.done;
    const lines: WorkerLine[] = [];
    for (const [index, r] of running) {
      if (remote === null) events += r.events;
      progressed += spec.durationMs > 0 ? Math.min(1, r.simTimeMs / spec.durationMs) : 0;
      lines.push({ slot: r.slot, replication: index, events: r.events, simTimeMs: r.simTimeMs });
    }
    lines.sort((a, b) => a.slot - b.slot);
    const fraction = progressed / spec.replications;
    const state: DashboardState = {
      done: remote === null ? finished.size : remote.done,
      total: spec.replications,
      events,
      eventsPerSec: elapsedMs > 0 ? Math.round(events / (elapsedMs / 1000)) : 0,
      elapsedMs,
      etaMs: fraction > 0 && elapsedMs > 500 ? (elapsedMs * (1 - fraction)) / fraction : null,
      workers: lines,
      partial: partialReport,
      faults,
      stopping: abort.signal.aborted,
    };
    dashboard.update(state);
  };
  abort.signal.addEventListener('abort', push, { once: true });
  const ticker = setInterval(push, TICK_MS);

  const conclude = async (results: ReplicationResult[], partial: boolean, usedWorkers: number): Promise<DashboardRunResult> => {
    const wallMs = performance.now() - t0;
    const report = buildReport(spec, results, runInfo(options.scenarioFile, usedWorkers, startedAt, wallMs, results, partial));
    const done = options.finalize === undefined ? defaultFinalize(spec, report) : await options.finalize(report, partial);
    await dashboard.finish(done.report, done.files);
    if (partial) io.err(`pitsim: stopped after ${results.length} of ${spec.replications} replications; the report is marked partial\n`);
    return { report: done.report, partial, files: done.files };
  };

  const tasks: ReplicationTask[] = Array.from({ length: spec.replications }, (_, index) => ({ spec, index }));
  try {
    push();
    if (options.queue !== undefined) {
      remote = { done: 0, events: 0 };
      const q = await runViaQueue(spec, {
        url: options.queue,
        signal: abort.signal,
        onNotice: (t) => io.err(`  ${t}\n`),
        onProgress: (p) => {
          remote = { done: p.done, events: p.events };
          running.clear();
          (p.perWorker ?? []).forEach((r, i) => running.set(r.index, { slot: i + 1, events: r.events, simTimeMs: r.simTimeMs }));
          push();
        },
      });
      clearInterval(ticker);
      return await conclude(q.results, q.partial, Math.max(1, q.stats.workers.length));
    }
    fitGcToPool(workers); // as runReplications does
    const outcome = await runPool<ReplicationTask, ReplicationResult>({
      workerFile: options.workerFile ?? REPLICATION_WORKER,
      tasks,
      workers,
      signal: abort.signal,
      resourceLimits: REPLICATION_RESOURCE_LIMITS,
      describeTask: (t) => describeReplication(spec, t.index),
      onProgress: (m, index) => {
        const p = m as ReplicationProgressMessage;
        const r = running.get(index);
        running.set(index, { slot: r?.slot ?? freeSlot(), events: p.events, simTimeMs: p.simTimeMs });
        push();
      },
      onResult: (index, result) => {
        running.delete(index);
        finished.set(index, result);
        doneEvents += result.events;
        const wallMs = performance.now() - t0;
        partialReport = buildReport(spec, [...finished.values()], runInfo(options.scenarioFile, workers, startedAt, wallMs, [...finished.values()], finished.size < spec.replications));
        push();
      },
    });
    clearInterval(ticker);
    return await conclude(
      outcome.results.filter((r): r is ReplicationResult => r !== undefined),
      outcome.aborted,
      workers,
    );
  } catch (err) {
    clearInterval(ticker);
    await dashboard.close();
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function defaultFinalize(spec: ScenarioSpec, report: Report): Finalized {
  const thresholds = evaluateThresholds(report, spec.thresholds);
  return { report: thresholds.length > 0 ? { ...report, thresholds } : report, files: [] };
}


/** Most windows drawn per recurring fault (the timeline has far fewer cells anyway). */
const MAX_WINDOWS = 1000;

/** The spec's faults as timeline lanes: fixed windows for `window` and `recurring`, none for `stochastic`. */
export function faultLanes(spec: ScenarioSpec): FaultLane[] {
  return spec.faults.map((f) => {
    const s = f.schedule;
    const windows: [number, number][] = [];
    if (s.kind === 'window') windows.push([s.fromMs, Math.min(s.toMs, spec.durationMs)]);
    else if (s.kind === 'recurring' && s.everyMs > 0) {
      const until = Math.min(s.untilMs, spec.durationMs);
      for (let t = s.firstMs; t < until && windows.length < MAX_WINDOWS; t += s.everyMs) windows.push([t, Math.min(t + s.forMs, until)]);
    }
    return { id: f.id, kind: f.kind, target: f.targetText, windows, stochastic: s.kind === 'stochastic' };
  });
}
