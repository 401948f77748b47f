/**
 * The open-model load generator (k6 arrival-rate executors, wrk2): every
 * planned start happens at its planned wall time whatever is outstanding, so
 * a slow gateway does not slow the arrivals down (no coordinated omission).
 * Each task receives its PLANNED start time, and measures latency from it.
 *
 * - `--max-in-flight` guards the client: a start that comes due while that
 *   many tasks are outstanding is dropped and counted (k6 dropped_iterations).
 *   The generator gets to due starts on a timer and whenever a task ends, so
 *   a start is dropped when, at that moment, no slot is free.
 * - A start the generator itself reaches more than `lagWarnMs` late (the
 *   event loop was busy, not the gateway) raises a lag warning, at most one
 *   per second; its latency still counts from the planned time.
 * - Starts stop at `durationMs` of wall time; outstanding tasks get
 *   `gracefulStopMs` to finish, then their signal is aborted. The caller's
 *   signal (Ctrl-C) stops starts at once and aborts outstanding tasks.
 *
 * Starts due within the next millisecond are caught with setImmediate (timers
 * have ms granularity), so high arrival rates keep their spacing; not while
 * every slot is taken (the start would be dropped anyway, and a task's end
 * runs the generator at once).
 *
 * The plan is an array (or typed array) sorted by offset, read by index: an
 * iterator would allocate a result object per planned start, and an
 * overdriven run looks at several starts per request. Wall clock:
 * performance.now().
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';

export interface OpenModelOptions<T> {
  /** Planned starts, sorted by offset. */
  readonly plan: ArrayLike<T>;
  /** Planned start of an item, ms of wall time after the run starts. */
  offsetMs(item: T): number;
  /** Runs one item; `plannedAt` is its planned start on the performance.now() clock. Must not reject; its value is ignored. */
  run(item: T, plannedAt: number, signal: AbortSignal): Promise<unknown>;
  readonly maxInFlight: number;
  /** No start at or after this much wall time. */
  readonly durationMs: number;
  /** Time outstanding tasks get after `durationMs` before they are aborted. */
  readonly gracefulStopMs: number;
  /** Lateness (ms) that counts as the generator lagging (default 100). */
  readonly lagWarnMs?: number;
  onLag?(lateMs: number, atMs: number): void;
  /** Stops the run early (starts end, outstanding tasks are aborted). */
  readonly signal?: AbortSignal;
  /** Clock (default performance.now). */
  now?(): number;
  /** Called every `progressEveryMs` (default 1000) while the run lasts. */
  onProgress?(p: { readonly elapsedMs: number; readonly planned: number; readonly started: number; readonly dropped: number; readonly inFlight: number }): void;
  readonly progressEveryMs?: number;
}

export interface OpenModelResult {
  planned: number;
  started: number;
  dropped: number;
  completed: number;
  lagWarnings: number;
  maxLagMs: number;
  /** Tasks still outstanding when their signal was aborted. */
  aborted: number;
  /** Wall time from the first planned instant to the last task's end. */
  wallMs: number;
  /** Stopped early by the caller's signal. */
  stoppedEarly: boolean;
}

const LAG_WARN_EVERY_MS = 1000;

export function runOpenModel<T>(o: OpenModelOptions<T>): Promise<OpenModelResult> {
  const now = o.now ?? (() => performance.now());
  const lagWarnMs = o.lagWarnMs ?? 100;
  const stop = new AbortController();
  const stopSignal = stop.signal;
  // Every outstanding request listens to the stop signal.
  setMaxListeners(0, stopSignal);
  const r: OpenModelResult = { planned: 0, started: 0, dropped: 0, completed: 0, lagWarnings: 0, maxLagMs: 0, aborted: 0, wallMs: 0, stoppedEarly: false };
  const plan = o.plan;
  /** Index of the next planned start; `plan.length` once none is left (or the rest lie past durationMs). */
  let next = 0;
  let last = plan.length;
  let inFlight = 0;
  let startsOver = false;
  let lastLagWarn = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Offset the pending timer fires at. */
  let timerAt = Infinity;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  let hardStop: ReturnType<typeof setTimeout> | undefined;
  const t0 = now();

  return new Promise<OpenModelResult>((resolve) => {
    const progress =
      o.onProgress === undefined
        ? undefined
        : setInterval(() => o.onProgress!({ elapsedMs: now() - t0, planned: r.planned, started: r.started, dropped: r.dropped, inFlight }), o.progressEveryMs ?? 1000);
    const finish = (): void => {
      if (!startsOver || inFlight > 0) return;
      if (progress !== undefined) clearInterval(progress);
      if (timer !== undefined) clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
      if (hardStop !== undefined) clearTimeout(hardStop);
      o.signal?.removeEventListener('abort', onExternalAbort);
      r.wallMs = now() - t0;
      resolve(r);
    };

    const endStarts = (): void => {
      if (startsOver) return;
      startsOver = true;
      if (timer !== undefined) clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
      timer = undefined;
      immediate = undefined;
      timerAt = Infinity;
      if (inFlight > 0) {
        const left = Math.max(0, o.durationMs + o.gracefulStopMs - (now() - t0));
        hardStop = setTimeout(abortAll, r.stoppedEarly ? 0 : left);
      }
      finish();
    };

    const abortAll = (): void => {
      r.aborted = inFlight;
      stop.abort();
    };

    function onExternalAbort(): void {
      r.stoppedEarly = true;
      endStarts();
      abortAll();
    }

    // One settle callback for every task (fulfilled or rejected): no closures or extra promises per start.
    const ended = (): void => {
      inFlight--;
      r.completed++;
      if (startsOver) finish();
      else pump();
    };

    const start = (item: T, plannedAt: number): void => {
      inFlight++;
      r.started++;
      let p: Promise<unknown>;
      try {
        p = o.run(item, plannedAt, stopSignal);
      } catch {
        p = Promise.resolve();
      }
      void p.then(ended, ended);
    };

    const pump = (): void => {
      if (startsOver) return;
      const t = now() - t0;
      let off = 0;
      while (next < last) {
        const item = plan[next]!;
        off = o.offsetMs(item);
        if (off >= o.durationMs) {
          last = next;
          break;
        }
        if (off > t) break;
        next++;
        r.planned++;
        if (inFlight >= o.maxInFlight) {
          r.dropped++;
          continue;
        }
        const late = t - off;
        if (late > r.maxLagMs) r.maxLagMs = late;
        if (late > lagWarnMs && t - lastLagWarn >= LAG_WARN_EVERY_MS) {
          lastLagWarn = t;
          r.lagWarnings++;
          o.onLag?.(late, t);
        }
        start(item, t0 + off);
      }
      // `t` is read once per pump, not once per decision: the clock read is a native call on the hot path;
      // the starts above take microseconds, so a timer set from it is late by no more than that.
      if (next >= last || t >= o.durationMs) {
        // Nothing left to start: wait for the outstanding tasks (bounded by the hard stop).
        endStarts();
        return;
      }
      // One timer for the next due start; kept when a task's end ran the pump early.
      const due = off;
      if (immediate !== undefined) return; // a check is already queued right after I/O
      const wait = due - t;
      // When every slot is taken, the start will be dropped whenever it is looked at, and a task's end
      // runs the pump anyway: no need to catch it early (and spinning would take the CPU from the gateway).
      if (wait < 1 && inFlight < o.maxInFlight) {
        // Timers have ms granularity: a start due within the ms is caught on the next turn of the loop.
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        timerAt = Infinity;
        immediate = setImmediate(onImmediate);
        return;
      }
      if (timer !== undefined && timerAt <= due) return;
      if (timer !== undefined) clearTimeout(timer);
      timerAt = due;
      timer = setTimeout(onTimer, Math.max(0, wait));
    };

    const onTimer = (): void => {
      timer = undefined;
      timerAt = Infinity;
      pump();
    };

    const onImmediate = (): void => {
      immediate = undefined;
      pump();
    };

    if (o.signal?.aborted === true) {
      r.stoppedEarly = true;
      startsOver = true;
      finish();
      return;
    }
    o.signal?.addEventListener('abort', onExternalAbort, { once: true });
    pump();
  });
}
