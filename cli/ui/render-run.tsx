/**
 * Mounts the live `pitsim run` dashboard with ink and, at the end, replaces
 * it with the final report written once as plain scrolling text (so a report
 * taller than the terminal never makes ink clear the screen).
 */
import { render, renderToString } from 'ink';
import { RunDashboard } from './components/RunDashboard.tsx';
import { FinalReport } from './components/FinalReport.tsx';
import type { DashboardState, RunHeader } from './dashboard-state.ts';
import type { ReportWithThresholds } from '../../reports/thresholds.ts';
import { PaletteContext, paletteFor } from './theme.ts';

export interface RunDashboardOptions {
  readonly header: RunHeader;
  /** q or Ctrl-C: called once; stop the run, keep the finished replications. */
  readonly onQuit: () => void;
  /** Colour allowed (false with NO_COLOR). Default true. */
  readonly color?: boolean;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

export interface DashboardHandle {
  /** Redraw with the latest state (ink throttles to its frame rate). */
  update(state: DashboardState): void;
  /** Clears the live dashboard, writes the final report screen, and unmounts. */
  finish(report: ReportWithThresholds, files: readonly string[]): Promise<void>;
  /** Clears and unmounts without a final screen (e.g. the run failed). */
  close(): Promise<void>;
}

export function renderRunDashboard(options: RunDashboardOptions): DashboardHandle {
  const stdout = options.stdout ?? process.stdout;
  const palette = paletteFor(options.color ?? true);
  const columns = (): number => Math.max(80, Math.min(160, stdout.columns ?? 100));
  let state: DashboardState | null = null;
  const view = () => (
    <PaletteContext.Provider value={palette}>
      <RunDashboard header={options.header} state={state} onQuit={options.onQuit} columns={columns()} />
    </PaletteContext.Provider>
  );
  const instance = render(view(), {
    stdout,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    instance.rerender(null);
    instance.unmount();
    await instance.waitUntilExit();
  };
  return {
    update(s) {
      if (closed) return;
      state = s;
      instance.rerender(view());
    },
    async finish(report, files) {
      await close();
      const screen = renderToString(
        <PaletteContext.Provider value={palette}>
          <FinalReport report={report} files={files} requested={options.header.replications} columns={columns()} />
        </PaletteContext.Provider>,
        { columns: columns() },
      );
      stdout.write(screen.trimEnd() + '\n');
    },
    close,
  };
}
