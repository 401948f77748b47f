/**
 * The domain benchmark: one replication of a bundled scenario (by default the
 * eu-summer-peak), timed end to end including population generation.
 */
import { runReplication } from '../../agents/replication.ts';
import { loadScenario } from '../../scenarios/load.ts';

export interface ScenarioBench {
  scenario: string;
  patients: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
}

export function runScenarioBench(file: string): ScenarioBench {
  const spec = loadScenario(file);
  const t0 = process.hrtime.bigint();
  const r = runReplication(spec, 0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { scenario: spec.name, patients: r.patients, events: r.events, seconds, eventsPerSec: r.events / seconds };
}
