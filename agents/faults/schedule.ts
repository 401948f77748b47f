/**
 * Drives a fault's schedule as a process: calls `on` when a window opens and
 * `off` when it closes, for fixed windows, recurring windows and stochastic
 * up/down cycles (MTBF / MTTR drawn from the fault's own stream). Windows are
 * recorded so the report can say how long each fault was active.
 */
import { sampleDuration, type ProcessGenerator, type RandomStream, type Simulation } from '../../engine/index.ts';
import type { FaultSchedule } from '../../scenarios/spec.ts';

export class FaultWindows {
  windows = 0;
  private activeSince = -1;
  private activeMs = 0;

  open(now: number): void {
    this.windows++;
    this.activeSince = now;
  }

  close(now: number): void {
    if (this.activeSince >= 0) this.activeMs += now - this.activeSince;
    this.activeSince = -1;
  }

  activeUntil(now: number): number {
    return this.activeMs + (this.activeSince >= 0 ? now - this.activeSince : 0);
  }
}

export function* drive(sim: Simulation, schedule: FaultSchedule, rng: RandomStream, windows: FaultWindows, on: () => void, off: () => void): ProcessGenerator<void> {
  switch (schedule.kind) {
    case 'window': {
      yield Math.max(0, schedule.fromMs - sim.now);
      windows.open(sim.now);
      on();
      yield schedule.toMs - schedule.fromMs;
      windows.close(sim.now);
      off();
      return;
    }
    case 'recurring': {
      for (let t = schedule.firstMs; t < schedule.untilMs; t += schedule.everyMs) {
        if (t > sim.now) yield t - sim.now;
        windows.open(sim.now);
        on();
        yield Math.min(schedule.forMs, schedule.untilMs - t);
        windows.close(sim.now);
        off();
      }
      return;
    }
    case 'stochastic': {
      for (;;) {
        yield sampleDuration(schedule.mtbf, rng);
        windows.open(sim.now);
        on();
        yield sampleDuration(schedule.mttr, rng);
        windows.close(sim.now);
        off();
      }
    }
  }
}
