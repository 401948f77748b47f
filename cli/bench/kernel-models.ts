/**
 * The two standard kernel benchmark models. hold: N processes each sleeping K
 * exponential(1) delays (raw schedule throughput). mmc: an M/M/c queue through a
 * Resource (processes, requests, releases). Both are deterministic for a seed.
 */
import { RandomStream, Resource, Simulation, type ProcessGenerator } from '../../engine/index.ts';

export interface HoldResult {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

export interface MmcResult {
  customers: number;
  seconds: number;
  customersPerSec: number;
  meanWait: number;
}

export function runHold(processes: number, holds: number, seed = 1): HoldResult {
  const sim = new Simulation({ queueCapacity: processes * 2 });
  const rng = RandomStream.root(seed).fork('hold');
  function* holder(): ProcessGenerator<void> {
    for (let i = 0; i < holds; i++) yield rng.exponential(1);
  }
  for (let p = 0; p < processes; p++) sim.process(holder());
  const t0 = process.hrtime.bigint();
  sim.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const events = processes * holds;
  return { events, seconds, eventsPerSec: events / seconds };
}

export function runMmc(customers: number, c = 4, lambda = 3.6, mu = 1, seed = 1): MmcResult {
  const sim = new Simulation();
  const root = RandomStream.root(seed);
  const arrivals = root.fork('arrivals');
  const service = root.fork('service');
  const res = new Resource(sim, c);
  const meanIat = 1 / lambda;
  const meanSvc = 1 / mu;
  function* customer(): ProcessGenerator<void> {
    const req = res.request();
    yield req;
    yield service.exponential(meanSvc);
    res.release(req);
  }
  function* source(): ProcessGenerator<void> {
    for (let i = 0; i < customers; i++) {
      sim.process(customer());
      yield arrivals.exponential(meanIat);
    }
  }
  sim.process(source());
  const t0 = process.hrtime.bigint();
  sim.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { customers, seconds, customersPerSec: customers / seconds, meanWait: res.stats().meanWaitMs };
}
