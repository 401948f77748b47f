// The terminal UI's components on fixed props: exact frames (ANSI styling
// stripped, no colour palette) compared with test/ui/golden/*.txt. Refresh
// the goldens with UPDATE_GOLDEN=1 after a deliberate change, and read the diff.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { StoryMessage } from '../../cli/demo-story.ts';
import { FaultTimeline } from '../../cli/ui/components/FaultTimeline.tsx';
import { FinalReport } from '../../cli/ui/components/FinalReport.tsx';
import { Lanes, type LaneEntry } from '../../cli/ui/components/Lanes.tsx';
import { RunDashboard } from '../../cli/ui/components/RunDashboard.tsx';
import type { DashboardState, FaultLane, RunHeader } from '../../cli/ui/dashboard-state.ts';
import { bar } from '../../cli/ui/format.ts';
import { clockOf } from '../../cli/narration.ts';
import type { ReportWithThresholds } from '../../reports/thresholds.ts';

const goldenDir = join(import.meta.dirname, 'golden');
const ANSI = /\u001b\[[0-9;]*m/g;

function golden(name: string, frame: string | undefined): void {
  const text = (frame ?? '').replace(ANSI, '') + '\n';
  const path = join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, text);
  }
  expect(text).toBe(readFileSync(path, 'utf8'));
}

const report = JSON.parse(readFileSync(join(goldenDir, 'report.json'), 'utf8')) as ReportWithThresholds;

const header: RunHeader = { scenario: 'german-tourist-france', seed: 42, replications: 10, workers: 2, durationMs: 14 * 86_400_000, startDate: '2026-08-01' };

const faults: FaultLane[] = [
  { id: 'fr-ncp-down', kind: 'outage', target: 'ncp.FR', windows: [[3 * 86_400_000, 3.5 * 86_400_000]], stochastic: false },
  { id: 'nightly-cert', kind: 'certificateExpiry', target: 'ncp.DE', windows: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((d) => [d * 86_400_000 + 2 * 3_600_000, d * 86_400_000 + 4 * 3_600_000] as const), stochastic: false },
  { id: 'flaky-link', kind: 'degraded', target: 'link DE-FR', windows: [], stochastic: true },
];

const state: DashboardState = {
  done: 3,
  total: 10,
  events: 512_345,
  eventsPerSec: 204_938,
  elapsedMs: 2_500,
  etaMs: 5_833,
  workers: [
    { slot: 1, replication: 3, events: 61_000, simTimeMs: 3.2 * 86_400_000 },
    { slot: 2, replication: 4, events: 12_000, simTimeMs: 0.7 * 86_400_000 },
  ],
  partial: report,
  faults,
  stopping: false,
};

const noop = (): void => {};

describe('run dashboard', () => {
  it('live screen with a partial report, fault lanes and two workers', () => {
    const { lastFrame, unmount } = render(<RunDashboard header={header} state={state} onQuit={noop} columns={100} />);
    golden('run-dashboard.txt', lastFrame());
    unmount();
  });

  it('before the first replication finishes', () => {
    const { lastFrame, unmount } = render(<RunDashboard header={header} state={null} onQuit={noop} columns={100} />);
    golden('run-dashboard-waiting.txt', lastFrame());
    unmount();
  });

  it('q calls onQuit once and the footer says the run is stopping', () => {
    let quits = 0;
    const { stdin, lastFrame, rerender, unmount } = render(<RunDashboard header={header} state={state} onQuit={() => quits++} columns={100} />);
    stdin.write('q');
    stdin.write('q');
    expect(quits).toBe(1);
    rerender(<RunDashboard header={header} state={{ ...state, stopping: true }} onQuit={noop} columns={100} />);
    expect(lastFrame()).toContain('stopping: keeping the 3 finished replications; the report will be marked partial');
    unmount();
  });

  it('Ctrl-C calls onQuit too', () => {
    let quits = 0;
    const { stdin, unmount } = render(<RunDashboard header={header} state={state} onQuit={() => quits++} columns={100} />);
    stdin.write('\u0003');
    expect(quits).toBe(1);
    unmount();
  });

  it('fault timeline: windows as bars, stochastic faults named, active faults where a worker is', () => {
    const { lastFrame, unmount } = render(<FaultTimeline faults={faults} workers={state.workers} durationMs={header.durationMs} columns={100} />);
    golden('fault-timeline.txt', lastFrame());
    expect(lastFrame()).toContain('active (w1)');
    unmount();
  });
});

describe('final report screen', () => {
  it('renders the Report as tables, bars, percentile charts, thresholds and files', () => {
    const files = ['results/report.md', 'results/csv/flows.csv', 'results/report.json'];
    const { lastFrame, unmount } = render(<FinalReport report={report} files={files} requested={3} columns={100} />);
    golden('final-report.txt', lastFrame());
    unmount();
  });

  it('says PARTIAL when the run was stopped', () => {
    const partial: ReportWithThresholds = { ...report, run: { ...report.run, partial: true, replicationsDone: 3 } };
    const { lastFrame, unmount } = render(<FinalReport report={partial} files={[]} requested={10} columns={100} />);
    expect(lastFrame()).toContain('PARTIAL: stopped after 3 of 10 replications');
    expect(lastFrame()).toContain('none (--out DIR writes report.md, csv/ and report.json)');
    unmount();
  });
});

describe('demo lanes', () => {
  const m = (t: number, step: string, from: StoryMessage['from'], to: StoryMessage['to'], kind: StoryMessage['kind'], reason?: string): StoryMessage =>
    reason === undefined ? { t, patient: 'p.1', flow: 'ePrescription', step, from, to, kind } : { t, patient: 'p.1', flow: 'ePrescription', step, from, to, kind, reason };
  const story: StoryMessage[] = [
    m(36_000_000, 'visit', 'patient', 'pointOfCare', 'request'),
    m(36_000_000, 'hcpAssertion', 'pointOfCare', 'ncpB', 'request'),
    m(36_000_040, 'hcpAssertion', 'ncpB', 'pointOfCare', 'response'),
    m(36_000_055, 'xcpd', 'ncpB', 'ncpA', 'request'),
    m(36_000_400, 'xcpd', 'ncpA', 'nationalA', 'local'),
    m(36_000_410, 'xcpd', 'ncpA', 'ncpB', 'response'),
    m(36_000_900, 'xcaQuery', 'ncpA', 'ncpB', 'failure', 'ERROR_NO_CONSENT'),
    m(43_200_000, 'xcaQuery', 'ncpB', 'ncpA', 'request'),
  ];
  const entries: LaneEntry[] = story.map((x, i) => ({ message: x, time: clockOf(x.t), note: i === 7 ? '+2.0 h later' : '' }));

  it('draws each message as an arrow between lanes; a failure with ✗ where it happened and its code', () => {
    const { lastFrame, unmount } = render(<Lanes entries={entries} home="DE" destination="FR" pointOfCare="Pharmacy" width={100} rows={10} />);
    golden('lanes.txt', lastFrame());
    unmount();
  });

  it('the newest message is drawn part way while it travels', () => {
    const { lastFrame, unmount } = render(<Lanes entries={entries.slice(0, 4)} home="DE" destination="FR" pointOfCare="Pharmacy" width={100} rows={4} progress={0.5} />);
    golden('lanes-travelling.txt', lastFrame());
    unmount();
  });
});

describe('bars', () => {
  it('fill in eighths and never overflow', () => {
    expect(bar(0, 4)).toBe('░░░░');
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██░░');
    expect(bar(0.53, 4)).toBe('██▏░');
    expect(bar(2, 3)).toBe('███');
    expect(bar(Number.NaN, 3)).toBe('░░░');
  });
});
