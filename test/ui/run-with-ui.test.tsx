// `pitsim run` with the dashboard, in process, on fake terminal streams and
// the real worker pool: the Report equals the plain run's (outside `run`),
// the final screen is written once as text, and q keeps what finished and
// marks the Report partial.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../../cli/execute.ts';
import type { Io } from '../../cli/io.ts';
import { faultLanes, runWithDashboard } from '../../cli/run-with-ui.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';

// ink draws only its last frame when it believes it runs in CI (is-in-ci reads
// the environment when ink loads, which happens lazily, inside the test). This
// test drives a terminal, so for ink it is not CI.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

class FakeStdout extends EventEmitter {
  readonly columns = 110;
  readonly rows = 40;
  readonly writes: string[] = [];
  write(s: string): boolean {
    this.writes.push(s);
    return true;
  }
  get text(): string {
    return this.writes.join('').replace(ANSI, '');
  }
}

/** Enough of a raw-mode terminal for ink's useInput (as ink-testing-library does it). */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const io: Io = { out: () => {}, err: () => {}, errIsTty: false };
const streams = (stdout: FakeStdout, stdin: FakeStdin) => ({ stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, color: false });
const withoutRun = (r: object): string => JSON.stringify({ ...r, run: undefined });

describe('runWithDashboard', () => {
  const scenario = 'scenarios/german-tourist-france.yaml';

  it('runs every replication on the pool; the Report equals the plain run outside `run`; the final screen follows', async () => {
    const spec = loadScenario(scenario, { sets: ['population[0].count=300', 'replications=3'] });
    const stdout = new FakeStdout();
    const out = await runWithDashboard(
      spec,
      { scenarioFile: scenario, workers: 2, ...streams(stdout, new FakeStdin()), finalize: (report) => ({ report, files: ['out/report.json'] }) },
      io,
    );
    expect(out.partial).toBe(false);
    expect(out.report.run.workers).toBe(2);
    expect(withoutRun(out.report)).toBe(withoutRun((await executeRun(spec, { scenarioFile: scenario, workers: 1 })).report));
    const last = stdout.writes[stdout.writes.length - 1]!.replace(ANSI, '');
    for (const heading of ['Flows', 'Failure reasons', 'Latency percentiles (ms)', 'Nodes (top', 'Security', 'Files written']) expect(last).toContain(heading);
    expect(last).toContain('  out/report.json');
    expect(last).not.toContain('PARTIAL');
    expect(stdout.text).toContain('pitsim run  german-tourist-france');
  });

  it('q stops the run: finished replications are kept and the Report is marked partial', async () => {
    const spec = loadScenario(scenario, { sets: ['population[0].count=300', 'replications=200'] });
    const stdout = new FakeStdout();
    const stdin = new FakeStdin();
    const drawn = new Promise<void>((resolve) => stdout.once('drawn', resolve));
    const write = stdout.write.bind(stdout);
    stdout.write = (s: string): boolean => {
      const r = write(s);
      if (s.includes('q quit')) stdout.emit('drawn');
      return r;
    };
    const run = runWithDashboard(spec, { scenarioFile: scenario, workers: 1, ...streams(stdout, stdin) }, io);
    await drawn;
    stdin.write('q');
    const out = await run;
    expect(out.partial).toBe(true);
    expect(out.report.run.partial).toBe(true);
    expect(out.report.run.replicationsDone).toBeLessThan(200);
    expect(out.report.meta.replications).toBe(out.report.run.replicationsDone);
    expect(stdout.writes[stdout.writes.length - 1]).toContain(`PARTIAL: stopped after ${out.report.run.replicationsDone} of 200 replications`);
  });

  it('fault lanes come from the spec: fixed windows, recurring windows expanded, stochastic ones flagged', () => {
    const day = 86_400_000;
    const base = loadScenario(scenario, { sets: ['population[0].count=10'] });
    const spec: ScenarioSpec = {
      ...base,
      faults: [
        { ...stubFault('a'), schedule: { kind: 'window', fromMs: day, toMs: 2 * day } },
        { ...stubFault('b'), schedule: { kind: 'recurring', firstMs: 0, forMs: 3_600_000, everyMs: 5 * day, untilMs: 100 * day } },
        { ...stubFault('c'), schedule: { kind: 'stochastic', mtbf: { kind: 'const', value: day }, mttr: { kind: 'const', value: 3_600_000 } } },
      ] as unknown as ScenarioSpec['faults'],
    };
    expect(faultLanes(spec)).toEqual([
      { id: 'a', kind: 'outage', target: 'ncp.FR', windows: [[day, 2 * day]], stochastic: false },
      { id: 'b', kind: 'outage', target: 'ncp.FR', windows: [[0, 3_600_000], [5 * day, 5 * day + 3_600_000], [10 * day, 10 * day + 3_600_000]], stochastic: false },
      { id: 'c', kind: 'outage', target: 'ncp.FR', windows: [], stochastic: true },
    ]);
  });
});

function stubFault(id: string): { id: string; kind: string; targetText: string } {
  return { id, kind: 'outage', targetText: 'ncp.FR' };
}
