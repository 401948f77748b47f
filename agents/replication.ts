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
import { setOwnerLookup, startDevices } from './iot/index.ts';
import { Journeys } from './journey.ts';
// generate.ts directly: the population index also loads faker, which a worker does not need.
import { PopulationSampler } from './population/generate.ts';
import type { NodeTally, ReplicationResult } from './result.ts';
import { World } from './world.ts';

export interface ReplicationOptions {
  trace?: TraceSink | null;
  observer?: FlowObserver | null;
}

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
  setOwnerLookup(w, (slot) => journeys.owner(slot));
  w.onArrival = (p, cohort, rng, consent, slot) => void startDevices(w, p, cohort, rng, consent, slot);
  journeys.start(sim);
  sim.run(spec.durationMs);

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
