/**
 * Runs a loaded scenario's replications on the worker pool and builds the
 * Report. Replications merge in index order whatever the worker count, so the
 * Report outside `run` is byte-identical for 1, 2 or N workers. The meta is
 * computed from the spec alone; wall-clock facts go into `run`.
 */
import { availableParallelism } from 'node:os';
import { hash128 } from '../engine/index.ts';
import { GENERIC_SUBSTITUTION_SHARE, HOME_REDISPENSE_SHARE } from '../agents/behaviour.ts';
import type { ReplicationResult } from '../agents/result.ts';
import { aggregate } from '../reports/aggregate.ts';
import type { Report, ReportMeta, RunInfo } from '../reports/report.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';
import { runReplications, type ReplicationsProgress } from './run-replications.ts';
import { VERSION } from './version.ts';

export interface Progress extends ReplicationsProgress {
  wallMs: number;
}

export interface ExecuteOptions {
  scenarioFile: string;
  /** Worker threads (default: available cores). */
  workers?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Tests only: make replication <index> throw or crash its worker. */
  testFaults?: Readonly<Record<number, 'throw' | 'crash'>>;
}

export interface Executed {
  report: Report;
  partial: boolean;
}

export async function executeRun(spec: ScenarioSpec, options: ExecuteOptions): Promise<Executed> {
  const startedAt = new Date();
  const t0 = performance.now();
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), spec.replications));
  const { results, partial } = await runReplications(spec, {
    workers,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.testFaults === undefined ? {} : { testFaults: options.testFaults }),
    onProgress: (p) => options.onProgress?.({ ...p, wallMs: performance.now() - t0 }),
  });
  const wallMs = performance.now() - t0;
  return { report: buildReport(spec, results, runInfo(options.scenarioFile, workers, startedAt, wallMs, results, partial)), partial };
}

/** The Report's meta, a function of the spec alone (aggregate adds replications and patients). */
export function reportMeta(spec: ScenarioSpec): Omit<ReportMeta, 'replications' | 'patients'> {
  return {
    scenario: spec.name,
    description: spec.description,
    seed: spec.seed,
    durationMs: spec.durationMs,
    startDate: spec.startDate,
    version: VERSION,
    deterministic: true,
    specHash: specHash(spec),
    policies: spec.policies,
    faultSpecs: spec.faults,
    assumptions: { homeRedispenseShare: HOME_REDISPENSE_SHARE, genericSubstitutionShare: GENERIC_SUBSTITUTION_SHARE },
  };
}

/** The Report of some replications: the same meta whichever way they ran. */
export function buildReport(spec: ScenarioSpec, results: readonly ReplicationResult[], run: RunInfo): Report {
  return aggregate(reportMeta(spec), run, results);
}

export function runInfo(scenarioFile: string, workers: number, startedAt: Date, wallMs: number, results: readonly ReplicationResult[], partial: boolean): RunInfo {
  const events = results.reduce((s, r) => s + r.events, 0);
  return {
    scenarioFile,
    workers,
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(wallMs),
    events,
    eventsPerSec: wallMs > 0 ? Math.round(events / (wallMs / 1000)) : 0,
    partial,
    replicationsDone: results.length,
  };
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/** Hash of the resolved spec: two runs with the same specHash and seed must agree. */
export function specHash(spec: ScenarioSpec): string {
  return hash128(JSON.stringify({ ...spec, source: '' }));
}
