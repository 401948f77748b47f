// Real-time pacing against a fake wall clock: events are processed when the
// wall clock reaches sim time / speed; pause, step and speed changes rebase.
import { describe, expect, it } from 'vitest';
import { RealtimePacer, Simulation, type ProcessGenerator, type WallClock } from '../../engine/index.ts';

class FakeClock implements WallClock {
  t = 1_000_000;
  sleeps: number[] = [];
  hook: ((t: number) => void) | null = null;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    this.hook?.(this.t);
  }
}

function ticker(sim: Simulation, seen: [number, number][], clock: FakeClock, every: number, n: number): ProcessGenerator<void> {
  return (function* () {
    for (let i = 0; i < n; i++) {
      yield every;
      seen.push([sim.now, clock.now() - 1_000_000]);
    }
  })();
}

describe('RealtimePacer', () => {
  it('processes each event when the wall clock reaches it (speed 10)', async () => {
    const sim = new Simulation();
    const clock = new FakeClock();
    const seen: [number, number][] = [];
    sim.process(ticker(sim, seen, clock, 1000, 3));
    await new RealtimePacer(sim, clock, { speed: 10, maxSleepMs: 1000 }).run();
    expect(seen).toEqual([
      [1000, 100],
      [2000, 200],
      [3000, 300],
    ]);
  });

  it('run(until) waits for the wall clock to reach until', async () => {
    const sim = new Simulation();
    const clock = new FakeClock();
    sim.process(ticker(sim, [], clock, 1000, 1));
    await new RealtimePacer(sim, clock, { speed: 2, maxSleepMs: 10_000 }).run(5000);
    expect(sim.now).toBe(5000);
    expect(clock.now() - 1_000_000).toBe(2500);
  });

  it('a speed change mid-run rebases without a jump', async () => {
    const sim = new Simulation();
    const clock = new FakeClock();
    const seen: [number, number][] = [];
    sim.process(ticker(sim, seen, clock, 1000, 3));
    const pacer = new RealtimePacer(sim, clock, { speed: 1, maxSleepMs: 10_000 });
    clock.hook = (t) => {
      if (t - 1_000_000 === 1000) pacer.setSpeed(4);
    };
    await pacer.run();
    // first tick at wall 1000 (speed 1), then 250 wall ms per simulated second
    expect(seen).toEqual([
      [1000, 1000],
      [2000, 1250],
      [3000, 1500],
    ]);
  });

  it('while paused, nothing runs until stepOnce() or resume()', async () => {
    const sim = new Simulation();
    const clock = new FakeClock();
    const seen: [number, number][] = [];
    sim.process(ticker(sim, seen, clock, 1000, 3));
    const pacer = new RealtimePacer(sim, clock, { speed: 1, maxSleepMs: 100 });
    pacer.pause();
    let sleeps = 0;
    clock.hook = () => {
      sleeps++;
      if (sleeps === 5) pacer.stepOnce(); // runs the process start
      if (sleeps === 6) pacer.stepOnce(); // the first tick, at once, off the clock
      if (sleeps === 20) pacer.resume();
    };
    await pacer.run();
    expect(seen[0]).toEqual([1000, 600]);
    // after resuming at wall 2000 (20 sleeps of 100), ticks follow the clock again
    expect(seen.slice(1)).toEqual([
      [2000, 3000],
      [3000, 4000],
    ]);
  });

  it('strict mode fails when the model falls behind', async () => {
    const sim = new Simulation();
    const clock = new FakeClock();
    sim.process(
      (function* (): ProcessGenerator<void> {
        yield 10;
        clock.t += 5000; // a slow step
        yield 10;
        yield 10;
      })(),
    );
    await expect(new RealtimePacer(sim, clock, { strictLagMs: 100 }).run()).rejects.toThrow(/behind the wall clock/);
  });

  it('rejects a non-positive speed', () => {
    expect(() => new RealtimePacer(new Simulation(), new FakeClock(), { speed: 0 })).toThrow(/speed must be a positive number/);
  });
});
