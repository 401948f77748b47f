/**
 * The terminal UI (ink + react), the only place in pitsim that loads them.
 * Always import this module lazily — `await import('./ui/index.ts')` — and
 * only when cli/tui-mode.ts says so, so --json, pipes and CI never load ink.
 *
 * renderRunDashboard({ header, onQuit, color?, stdout?, stdin? }): DashboardHandle
 *   Mounts the live `pitsim run` dashboard. header: RunHeader (scenario, seed,
 *   replications, workers, durationMs, startDate). onQuit: called once on q or
 *   Ctrl-C; the caller stops the run and keeps the finished replications.
 *   handle.update(state: DashboardState) redraws: done/total, events, events/s,
 *     elapsed, ETA, per-worker lines, the partial Report of the finished
 *     replications (flow tiles, security counters), the fault lanes, stopping.
 *   handle.finish(report, files) clears the dashboard and prints the final
 *     screen (flows, failure reasons as bars, percentile charts, busiest nodes,
 *     security, IoT, faults, thresholds ✓/✗, files written; PARTIAL when
 *     report.run.partial) as scrolling text, then unmounts.
 *   handle.close() unmounts without a final screen (on errors).
 *   cli/run-with-ui.ts drives all of this for `pitsim run`.
 *
 * runDemo(story, { clock, speed?, paused?, color?, stdout?, stdin? }): Promise<void>
 *   The teaching demo for a DemoStory (cli/demo-story.ts), paced with the
 *   kernel's RealtimePacer on `clock`; resolves when the user quits.
 *
 * Colour: pass color: colorAllowed(process.env) (cli/tui-mode.ts) for NO_COLOR.
 */
export { renderRunDashboard, type DashboardHandle, type RunDashboardOptions } from './render-run.tsx';
export { runDemo, type DemoOptions } from './render-demo.tsx';
export type { DashboardState, FaultLane, RunHeader, WorkerLine } from './dashboard-state.ts';
