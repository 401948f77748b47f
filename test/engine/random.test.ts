// Random streams: reproducible per path, independent across forks, and the
// whole-run determinism that the trace hash proves.
import { describe, expect, it } from 'vitest';
import { RandomStream, Resource, Simulation, TraceHash, type ProcessGenerator } from '../../engine/index.ts';

const draws = (r: RandomStream, n = 5): number[] => Array.from({ length: n }, () => r.next());

describe('random streams', () => {
  it('same seed and path give the same draws; another seed does not', () => {
    expect(draws(RandomStream.root(42).fork('a'))).toEqual(draws(RandomStream.root(42).fork('a')));
    expect(draws(RandomStream.root(42).fork('a'))).not.toEqual(draws(RandomStream.root(43).fork('a')));
  });

  it('forking or using another stream leaves existing streams unchanged', () => {
    const alone = draws(RandomStream.root(7).fork('rep:0').fork('pharmacy.FR.1'), 20);
    const root = RandomStream.root(7);
    const rep = root.fork('rep:0');
    const other = rep.fork('pharmacy.FR.0');
    draws(other, 100);
    const target = rep.fork('pharmacy.FR.1');
    rep.fork('fault:outage'); // a new fault stream
    draws(rep, 3); // the parent used directly
    expect(draws(target, 20)).toEqual(alone);
  });

  it('similar names and short seeds do not collide', () => {
    const a = draws(RandomStream.root('ab').fork('x'));
    const b = draws(RandomStream.root('abab').fork('x'));
    const c = draws(RandomStream.root('ab').fork('x1'));
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws look uniform (chi-square over 20 bins)', () => {
    const r = RandomStream.root(1).fork('u');
    const bins = new Array<number>(20).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) bins[Math.floor(r.next() * 20)]!++;
    const e = n / 20;
    const chi2 = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(43.8); // p = 0.001 critical value, 19 d.o.f.
  });
});

describe('run determinism', () => {
  function tracedRun(seed: number): string {
    const trace = new TraceHash();
    const sim = new Simulation({ trace });
    const root = RandomStream.root(seed);
    const a = root.fork('arrivals');
    const s = root.fork('service');
    const res = new Resource(sim, 2);
    function* customer(): ProcessGenerator<void> {
      const r = res.request();
      yield r;
      yield sim.timeout(s.exponential(1));
      res.release(r);
    }
    function* source(): ProcessGenerator<void> {
      for (let i = 0; i < 2000; i++) {
        sim.process(customer());
        yield a.exponential(0.6);
      }
    }
    sim.process(source());
    sim.run();
    expect(trace.count).toBeGreaterThan(6000);
    return trace.digest();
  }

  it('the same seed gives the same trace hash; another seed a different one', () => {
    const h1 = tracedRun(1);
    expect(h1).toMatch(/^[0-9a-f]{16}$/);
    expect(tracedRun(1)).toBe(h1);
    expect(tracedRun(2)).not.toBe(h1);
  });
});
