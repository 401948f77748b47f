/**
 * One replication, start to finish: a pure function of (spec, index). Builds
 * the world, generates the population from the replication's stream, starts a
 * journey per patient who arrives before the end, runs to `duration`, and
 * returns the small, mergeable ReplicationResult. This is what a worker runs.
 */
import { RandomStream, Simulation, type TraceSink } from '../engine/index.ts';
import type { FlowObserver } from './observer.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';
import { installFaults } from './faults/install.ts';
import { DeviceStarter, setOwnerLookup } from './iot/index.ts';
import { Journeys } from './journey.ts';
// generate.ts directly: the population index also loads faker, which a worker does not need.
import { PopulationSampler } from './population/generate.ts';
import type { NodeTally, ReplicationResult } from './result.ts';
import { World } from './world.ts';

export interface ReplicationOptions {
  trace?: TraceSink | null;
  observer?: FlowObserver | null;
  /** Called between slices of simulated time once at least `everyEvents` more events were processed; only observes. */
  progress?: ReplicationProgress | null;
}

export interface ReplicationProgress {
  readonly everyEvents: number;
  report(events: number, simTimeMs: number): void;
}

/**
 * With progress on, the run goes in this many slices of simulated time. Running
 * `run(t1)`, `run(t2)`, ... processes exactly the entries `run(end)` does, in
 * the same order (nothing runs between slices), so results do not change;
 * unlike a trace sink, it costs nothing per event (a trace call per event cost
 * ~5 % of a replication).
 */
const PROGRESS_SLICES = 400;

/** The stream of replication `index`: same seed and index, same stream, on any machine. */
export function replicationStream(spec: ScenarioSpec, index: number): RandomStream {
  return RandomStream.root(spec.seed).fork(`rep:${index}`);
}

export function runReplication(spec: ScenarioSpec, index: number, options: ReplicationOptions = {}): ReplicationResult {
  const rep = replicationStream(spec, index);
  const sim = new Simulation({ trace: options.trace ?? null, queueCapacity: 4096 });
  const w = new World(sim, spec, options.observer ?? null);
  const population = new PopulationSampler(spec, rep);
  const faults = installFaults(w, spec.faults, rep);
  const journeys = new Journeys(w, population, rep.fork('journey'));
  setOwnerLookup(w, journeys);
  w.arrivals = new DeviceStarter(w);
  journeys.start(sim);
  runWithProgress(sim, spec.durationMs, options.progress ?? null);

  const nodes: Record<string, NodeTally> = {};
  for (const n of w.nodes()) nodes[n.id] = n.encode();
  return {
    index,
    streamPath: rep.path,
    patients: population.size,
    events: sim.processedCount,
    simEndMs: sim.now,
    flows: w.flows.encode(),
    nodes,
    security: { ...w.security.encode(), abuseAlerts: w.abuseAlerts() },
    iot: w.iot.encode(),
    faults: faults.encode(sim.now),
  };
}

function runWithProgress(sim: Simulation, durationMs: number, progress: ReplicationProgress | null): void {
  if (progress === null) {
    sim.run(durationMs);
    return;
  }
  let reported = 0;
  for (let k = 1; k <= PROGRESS_SLICES; k++) {
    sim.run(k === PROGRESS_SLICES ? durationMs : Math.floor((durationMs * k) / PROGRESS_SLICES));
    if (sim.processedCount - reported >= progress.everyEvents) {
      reported = sim.processedCount;
      progress.report(reported, sim.now);
    }
  }
}
