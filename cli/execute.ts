/**
 * Runs a loaded scenario's replications and builds the Report. Replications
 * run in index order on this thread (the worker pool arrives with its own
 * issue); progress is reported after each one. The Report's meta is computed
 * from the spec alone; wall-clock facts go into `run`.
 */
import { hash128 } from '../engine/index.ts';
import { GENERIC_SUBSTITUTION_SHARE, HOME_REDISPENSE_SHARE } from '../agents/behaviour.ts';
import { runReplication } from '../agents/replication.ts';
import type { ReplicationResult } from '../agents/result.ts';
import { aggregate } from '../reports/aggregate.ts';
import type { Report } from '../reports/report.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';
import { VERSION } from './version.ts';

export interface Progress {
  done: number;
  total: number;
  events: number;
  wallMs: number;
}

export interface ExecuteOptions {
  scenarioFile: string;
  onProgress?: (p: Progress) => void;
}

export function executeRun(spec: ScenarioSpec, options: ExecuteOptions): Report {
  const startedAt = new Date();
  const t0 = performance.now();
  const results: ReplicationResult[] = [];
  let events = 0;
  for (let i = 0; i < spec.replications; i++) {
    const r = runReplication(spec, i);
    results.push(r);
    events += r.events;
    options.onProgress?.({ done: i + 1, total: spec.replications, events, wallMs: performance.now() - t0 });
  }
  const wallMs = performance.now() - t0;
  return aggregate(
    {
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
    },
    {
      scenarioFile: options.scenarioFile,
      workers: 1,
      startedAt: startedAt.toISOString(),
      wallMs: Math.round(wallMs),
      events,
      eventsPerSec: Math.round(events / (wallMs / 1000)),
      partial: false,
      replicationsDone: results.length,
    },
    results,
  );
}

/** Hash of the resolved spec: two runs with the same specHash and seed must agree. */
export function specHash(spec: ScenarioSpec): string {
  return hash128(JSON.stringify({ ...spec, source: '' }));
}
