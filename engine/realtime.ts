/**
 * Real-time pacing: runs a Simulation so that simulated time advances at `speed`
 * simulated ms per wall ms (speed 1 = real time, 60 = a minute per second).
 * The wall clock is injected (the CLI passes the system clock, tests a fake
 * one), so the kernel itself never reads it. Pause, resume, single steps and
 * speed changes rebase the anchor, so the simulated clock never jumps.
 */
import { KernelError } from './errors.ts';
import type { Simulation } from './simulation.ts';

export interface WallClock {
  /** Monotonic wall time in ms. */
  now(): number;
  /** Resolves after about `ms` wall ms. */
  sleep(ms: number): Promise<void>;
}

export interface PacerOptions {
  /** Simulated ms per wall ms (default 1). */
  speed?: number;
  /** Fail when the model falls behind the wall clock by more than this many wall ms (default: never). */
  strictLagMs?: number;
  /** Longest single sleep, so pause and speed changes take effect promptly (default 100 ms). */
  maxSleepMs?: number;
}

export class RealtimePacer {
  private speedValue: number;
  private paused = false;
  private stepBudget = 0;
  private stopped = false;
  private anchorWall: number;
  private anchorSim: number;
  private pausedSim = 0;
  private readonly strictLagMs: number;
  private readonly maxSleepMs: number;

  constructor(
    readonly sim: Simulation,
    private readonly clock: WallClock,
    options: PacerOptions = {},
  ) {
    this.speedValue = checkSpeed(options.speed ?? 1);
    this.strictLagMs = options.strictLagMs ?? Infinity;
    this.maxSleepMs = options.maxSleepMs ?? 100;
    this.anchorWall = clock.now();
    this.anchorSim = sim.now;
  }

  get speed(): number {
    return this.speedValue;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  setSpeed(speed: number): void {
    const checked = checkSpeed(speed);
    const v = this.simTimeNow();
    this.anchorWall = this.clock.now();
    this.anchorSim = v;
    this.speedValue = checked;
  }

  pause(): void {
    if (this.paused) return;
    this.pausedSim = this.simTimeNow();
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.anchorWall = this.clock.now();
    this.anchorSim = Math.max(this.pausedSim, this.sim.now);
  }

  /** While paused: let exactly one more scheduled entry run. */
  stepOnce(): void {
    this.stepBudget++;
  }

  /** Ends run() at the next opportunity. */
  stop(): void {
    this.stopped = true;
  }

  /** Runs until `until` (sim ms) or an empty schedule, keeping pace with the wall clock. */
  async run(until = Infinity): Promise<void> {
    this.rebase();
    const sim = this.sim;
    while (!this.stopped) {
      const next = sim.peek();
      if (next === Infinity || next >= until) break;
      if (this.paused) {
        if (this.stepBudget > 0) {
          this.stepBudget--;
          sim.step();
          this.pausedSim = Math.max(this.pausedSim, sim.now);
        } else {
          await this.clock.sleep(this.maxSleepMs);
        }
        continue;
      }
      const due = this.anchorWall + (next - this.anchorSim) / this.speedValue;
      const wait = due - this.clock.now();
      if (wait > 0) {
        await this.clock.sleep(Math.min(wait, this.maxSleepMs));
        continue; // re-check: speed, pause or stop may have changed while asleep
      }
      if (-wait > this.strictLagMs) {
        throw new KernelError(
          `simulation fell ${Math.round(-wait)} ms behind the wall clock at t=${next}`,
          'lower the speed factor or simplify the model',
        );
      }
      sim.step();
    }
    if (!this.stopped && until !== Infinity && sim.peek() >= until) {
      // Let the wall clock reach `until` as well, then set the clock there.
      const due = this.anchorWall + (until - this.anchorSim) / this.speedValue;
      let wait = due - this.clock.now();
      while (wait > 0 && !this.stopped) {
        await this.clock.sleep(Math.min(wait, this.maxSleepMs));
        wait = due - this.clock.now();
      }
      sim.run(until);
    }
  }

  /** Simulated time that corresponds to the wall clock now (frozen while paused). */
  simTimeNow(): number {
    if (this.paused) return this.pausedSim;
    return Math.max(this.sim.now, this.anchorSim + (this.clock.now() - this.anchorWall) * this.speedValue);
  }

  private rebase(): void {
    this.anchorWall = this.clock.now();
    this.anchorSim = this.sim.now;
    if (this.paused) this.pausedSim = this.sim.now;
  }
}

function checkSpeed(speed: number): number {
  if (!(speed > 0 && Number.isFinite(speed))) {
    throw new KernelError(`speed must be a positive number, got ${speed}`, 'speed is simulated ms per wall ms: 1 is real time, 60 a minute per second');
  }
  return speed;
}
