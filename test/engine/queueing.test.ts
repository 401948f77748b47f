// The kernel against queueing theory: M/M/1 and M/M/c mean waits in queue and
// Little's law. Fixed seeds make these exact regression checks; the run lengths
// keep the statistical error well inside the tolerances.
import { describe, expect, it } from 'vitest';
import { RandomStream, Resource, Simulation, type ProcessGenerator } from '../../engine/index.ts';

/** Erlang C: probability an arrival waits in an M/M/c queue. */
function erlangC(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  const rho = a / c;
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const last = (term * a) / c; // a^c / c!
  const top = last / (1 - rho);
  return top / (sum + top);
}

function wqTheory(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda, mu) / (c * mu - lambda);
}

interface QueueRun {
  meanWait: number;
  meanInSystem: number; // L, time average
  meanSojourn: number; // W
  arrivalRate: number;
}

function simulateMmc(c: number, lambda: number, mu: number, customers: number, warmup: number, seed: number): QueueRun {
  const sim = new Simulation();
  const root = RandomStream.root(seed);
  const arr = root.fork('arrivals');
  const svc = root.fork('service');
  const res = new Resource(sim, c);
  let sojournSum = 0;
  let done = 0;
  let counted = 0;
  function* customer(measured: boolean): ProcessGenerator<void> {
    const t0 = sim.now;
    const r = res.request();
    yield r;
    yield svc.exponential(1 / mu);
    res.release(r);
    if (measured) {
      sojournSum += sim.now - t0;
      done++;
    }
  }
  function* source(): ProcessGenerator<void> {
    for (let i = 0; i < warmup + customers; i++) {
      if (i === warmup) {
        res.resetStats();
      }
      if (i >= warmup) counted++;
      sim.process(customer(i >= warmup));
      yield arr.exponential(1 / lambda);
    }
  }
  sim.process(source());
  sim.run();
  const s = res.stats();
  const span = s.observedMs;
  // L over the window = mean number waiting + mean number in service
  const meanInSystem = s.meanQueueLength + s.utilisation * c;
  return {
    meanWait: s.meanWaitMs,
    meanInSystem,
    meanSojourn: sojournSum / done,
    arrivalRate: counted / span,
  };
}

describe('queueing theory', () => {
  it('Erlang C helper reproduces the textbook value for c=4, lambda=3.6, mu=1', () => {
    expect(wqTheory(4, 3.6, 1)).toBeCloseTo(1.9694, 4);
  });

  it('M/M/1: mean wait in queue Wq = rho/(mu - lambda) within 3 %', () => {
    const lambda = 0.5;
    const mu = 1;
    const expected = lambda / mu / (mu - lambda);
    const r = simulateMmc(1, lambda, mu, 400_000, 10_000, 11);
    expect(Math.abs(r.meanWait / expected - 1)).toBeLessThan(0.03);
  });

  it('M/M/4 (lambda 3.6, mu 1): Wq matches Erlang C (1.9694) within 3 %', () => {
    const expected = wqTheory(4, 3.6, 1);
    // Averaged over independent seeds: rho = 0.9 has long correlated excursions.
    const seeds = [1, 2, 3, 4];
    let sum = 0;
    for (const s of seeds) sum += simulateMmc(4, 3.6, 1, 500_000, 20_000, s).meanWait;
    const mean = sum / seeds.length;
    expect(Math.abs(mean / expected - 1)).toBeLessThan(0.03);
  });

  it("Little's law: L = lambda * W within 2 %", () => {
    const r = simulateMmc(3, 2.4, 1, 300_000, 10_000, 5);
    const lw = r.arrivalRate * r.meanSojourn;
    expect(Math.abs(r.meanInSystem / lw - 1)).toBeLessThan(0.02);
  });
});
