/**
 * One replication, start to finish: a pure function of (spec, index). Builds
 * the world, generates the population from the replication's stream, starts a
 * journey per patient who arrives before the end, runs to `duration`, and
 * returns the small, mergeable ReplicationResult. This is what a worker runs.
 */
import { RandomStream, Simulation, type ProcessGenerator, type TraceSink } from '../engine/index.ts';
import type { FlowObserver } from './observer.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';
import { installFaults } from './faults/install.ts';
import { startDevices } from './iot/index.ts';
import { journey } from './journey.ts';
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

/** Starts each patient's journey at their arrival, in arrival order. */
function* arrivals(sim: Simulation, population: PopulationSampler, end: number, arrive: (cohort: number, index: number) => void): ProcessGenerator<void> {
  const order = population.arrivalOrder();
  for (let k = 0; k < order.arrivalMs.length; k++) {
    const t = order.arrivalMs[k]!;
    if (t >= end) return;
    if (t > sim.now) yield t - sim.now;
    arrive(order.cohort[k]!, order.index[k]!);
  }
}

export function runReplication(spec: ScenarioSpec, index: number, options: ReplicationOptions = {}): ReplicationResult {
  const rep = replicationStream(spec, index);
  const sim = new Simulation({ trace: options.trace ?? null, queueCapacity: 4096 });
  const w = new World(sim, spec, options.observer ?? null);
  const population = new PopulationSampler(spec, rep);
  const cohorts = spec.population;
  const faults = installFaults(w, spec.faults, rep);
  w.onArrival = (p, cohort, rng, consent) => void startDevices(w, p, cohort, rng, consent);
  const journeys = rep.fork('journey');
  // Patients come into being when they arrive and are gone when their journey
  // ends, so memory follows the people present, not the whole population.
  sim.process(arrivals(sim, population, spec.durationMs, (c, i) => {
    const p = population.patient(c, i);
    sim.process(journey(w, p, cohorts[c]!, journeys.fork(p.id)), p.id);
  }), 'arrivals');
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
