/**
 * Paces a demo story in real time with the kernel's own pacing mode: a small
 * replay Simulation holds one timeout per message at its replay time, and a
 * RealtimePacer runs it against the injected WallClock. Pause, step, speed
 * and restart map onto the pacer; a restart builds a fresh Simulation, and a
 * generation counter silences the callbacks of the one it replaced.
 */
import { RealtimePacer, Simulation, type WallClock } from '../../engine/index.ts';

export interface PlayerListener {
  /** Message `index` is now on screen (-1: none yet, after a restart). */
  show(index: number): void;
  /** Every message has been shown. */
  end(): void;
}

/** The speed steps `+` and `-` move through (replay ms per wall ms). */
export const SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 16, 32];

export class DemoPlayer {
  private pacer: RealtimePacer | null = null;
  private running: Promise<void> = Promise.resolve();
  private generation = 0;
  private speedValue: number;
  private pausedValue: boolean;

  constructor(
    private readonly times: readonly number[],
    private readonly clock: WallClock,
    private readonly listener: PlayerListener,
    options: { speed?: number; paused?: boolean } = {},
  ) {
    this.speedValue = options.speed ?? 1;
    this.pausedValue = options.paused ?? false;
  }

  get speed(): number {
    return this.speedValue;
  }

  get paused(): boolean {
    return this.pausedValue;
  }

  /** Starts (or restarts) the story from the first message. */
  start(): void {
    const gen = ++this.generation;
    const sim = new Simulation();
    this.times.forEach((r, i) => {
      sim.timeout(r).onProcessed(() => {
        if (gen === this.generation) this.listener.show(i);
      });
    });
    const pacer = new RealtimePacer(sim, this.clock, { speed: this.speedValue, maxSleepMs: 50 });
    if (this.pausedValue) pacer.pause();
    this.pacer = pacer;
    this.running = pacer.run().then(() => {
      if (gen === this.generation) this.listener.end();
    });
  }

  togglePause(): void {
    if (this.pausedValue) this.pacer?.resume();
    else this.pacer?.pause();
    this.pausedValue = !this.pausedValue;
  }

  /** Shows exactly one more message, pausing first if playing. */
  step(): void {
    if (!this.pausedValue) this.togglePause();
    this.pacer?.stepOnce();
  }

  faster(): void {
    this.setSpeed(SPEEDS.find((s) => s > this.speedValue) ?? this.speedValue);
  }

  slower(): void {
    this.setSpeed([...SPEEDS].reverse().find((s) => s < this.speedValue) ?? this.speedValue);
  }

  private setSpeed(speed: number): void {
    this.speedValue = speed;
    this.pacer?.setSpeed(speed);
  }

  /** From the top, playing, at the current speed. */
  async restart(): Promise<void> {
    const old = this.pacer;
    this.generation++;
    old?.stop();
    await this.running;
    this.pausedValue = false;
    this.listener.show(-1);
    this.start();
  }

  /** Stops for good; resolves when the pacer has returned. */
  async stop(): Promise<void> {
    this.generation++;
    this.pacer?.stop();
    await this.running;
  }
}
