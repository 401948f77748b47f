/**
 * The system WallClock for real-time pacing (engine/realtime.ts): monotonic
 * performance.now() and setTimeout. It lives in cli/ because the kernel and
 * the domain never read the wall clock; tests inject a fake one instead.
 */
import type { WallClock } from '../engine/index.ts';

export const systemWallClock: WallClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
