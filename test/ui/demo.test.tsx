// The teaching demo: the story (one patient, deterministic), its narration
// and --script text (golden, byte-identical twice), the replay pacing, and
// the ink app driven by keys against a fake wall clock (no real waiting on
// pacing; polls are bounded and assert what is shown, never how long it took).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { WallClock } from '../../engine/index.ts';
import { REASON_INFO } from '../../agents/reasons.ts';
import { generatePopulation } from '../../agents/population/index.ts';
import { replicationStream, runReplication } from '../../agents/replication.ts';
import { demoCommand } from '../../cli/commands/demo.ts';
import { demoStory, replayTimes, type DemoStory, type StoryMessage } from '../../cli/demo-story.ts';
import { clockOf, dayOf, explain, narrate, scriptText } from '../../cli/narration.ts';
import { DemoApp } from '../../cli/ui/components/DemoApp.tsx';
import { DemoPlayer } from '../../cli/ui/demo-player.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { capture } from '../helpers/capture-io.ts';

const goldenDir = join(import.meta.dirname, 'golden');
const scenario = 'scenarios/german-tourist-france.yaml';
const small = ['population[0].count=300'];
const ANSI = /\u001b\[[0-9;]*m/g;


/** A wall clock that never waits: each sleep advances it and yields to the event loop. */
class FakeClock implements WallClock {
  t = 0;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.t += ms;
  }
}

async function until(what: string, check: () => boolean, limit = 2000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (check()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`never saw: ${what}`);
}

describe('demo story', () => {
  const spec = loadScenario(scenario, { sets: small });

  it('--script prints the narration as `HH:MM:SS.mmm  text` lines (golden), byte-identical twice', async () => {
    const a = capture();
    const b = capture();
    expect(await demoCommand({ scenario, patient: 'german-tourists.41', script: true, set: small }, a)).toBe(0);
    expect(await demoCommand({ scenario, patient: 'german-tourists.41', script: true, set: small }, b)).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe('');
    const path = join(goldenDir, 'demo-script.txt');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, a.stdout);
    expect(a.stdout).toBe(readFileSync(path, 'utf8'));
    for (const line of a.stdout.split('\n').slice(4)) if (line !== '') expect(line).toMatch(/^(\d\d:\d\d:\d\d\.\d\d\d {2}\S|[A-Z][a-z]+day \d+ [A-Z][a-z]+ \d{4}$)/);
  });

  it('without --patient follows the first patient whose request reached country A, the same one every time', () => {
    const a = demoStory(spec);
    const b = demoStory(spec);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.messages.some((m) => m.from === 'ncpB' && m.to === 'ncpA')).toBe(true);
    expect(a.messages[0]!.step).toBe('visit');
    expect(a.patient.homeName).toBe('Germany');
    expect(a.patient.destinationName).toBe('France');
    const times = a.messages.map((m) => m.t);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('a different seed tells a different story', () => {
    const other = demoStory(loadScenario(scenario, { sets: [...small, 'seed=7'] }));
    expect(scriptText(other)).not.toBe(scriptText(demoStory(spec)));
  });

  it('an unknown patient is a usage error with a hint, nothing printed on stdout', async () => {
    const io = capture();
    expect(await demoCommand({ scenario, patient: 'nobody.1', script: true, set: small }, io)).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain('no patient nobody.1 in german-tourist-france');
    expect(io.stderr).toContain('hint: patient ids look like german-tourists.0');
  });

  it('a patient with nothing to tell is a usage error too', async () => {
    const talkers = new Set<string>();
    runReplication(spec, 0, { observer: { message: (m) => void talkers.add(m.patient), attempt: (a) => void talkers.add(a.patient) } });
    const quiet = generatePopulation(spec, replicationStream(spec, 0)).find((p) => !talkers.has(p.id))!.id;
    const io = capture();
    expect(await demoCommand({ scenario, patient: quiet, script: true, set: small }, io)).toBe(2);
    expect(io.stderr).toContain(`patient ${quiet} sent no message in replication 0`);
  });

  it('a bad --speed is a usage error', async () => {
    const io = capture();
    expect(await demoCommand({ scenario, speed: 0, script: true, set: small }, io)).toBe(2);
    expect(io.stderr).toContain('--speed must be a number > 0');
  });

  it('without a terminal (as here) it prints the script even without --script', async () => {
    const io = capture();
    expect(await demoCommand({ scenario, patient: 'german-tourists.41', set: small }, io, { tui: false })).toBe(0);
    expect(io.stdout).toBe(readFileSync(join(goldenDir, 'demo-script.txt'), 'utf8'));
  });
});

describe('narration', () => {
  const patient = { id: 'p.1', age: 54, sex: 'female' as const, home: 'DE', homeName: 'Germany', destination: 'FR', destinationName: 'France' };
  const m = (step: string, from: StoryMessage['from'], to: StoryMessage['to'], kind: StoryMessage['kind'], extra: Partial<StoryMessage> = {}): StoryMessage => ({ t: 0, patient: 'p.1', flow: 'ePrescription', step, from, to, kind, ...extra });

  it('says what each hop is, with country names', () => {
    expect(narrate(m('xcpd', 'ncpB', 'ncpA', 'request'), patient)).toBe('XCPD: France asks Germany who this patient is');
    expect(narrate(m('xcpd', 'ncpA', 'ncpB', 'response'), patient)).toBe('XCPD: Germany answers with one match');
    expect(narrate(m('visit', 'patient', 'pointOfCare', 'request'), patient)).toBe('Visit: a 54-year-old woman from Germany asks a pharmacy in France to dispense her ePrescription from Germany');
    expect(narrate(m('outcome', 'pointOfCare', 'patient', 'response', { outcome: 'payPrivately', reason: 'ERROR_NO_CONSENT' }), patient)).toBe('Outcome: no ePrescription: the patient pays for the medicine privately (after ERROR_NO_CONSENT)');
  });

  it('a failure names its reason code, OpenNCP number and meaning', () => {
    expect(narrate(m('xcaQuery', 'ncpA', 'ncpB', 'failure', { reason: 'ERROR_NO_CONSENT' }), patient)).toBe(
      'XCA query: NCP Germany returns an error — ERROR_NO_CONSENT (4701): the patient has not consented to cross-border sharing of this data',
    );
    expect(narrate(m('xcpd', 'ncpB', 'pointOfCare', 'failure', { reason: 'TIMEOUT' }), patient)).toContain('XCPD: no answer from Germany in time — TIMEOUT: ');
    for (const [reason, info] of Object.entries(REASON_INFO)) {
      expect(explain(reason)).toContain(info.meaning);
      if (info.code !== null) expect(explain(reason)).toContain(`(${info.code})`);
    }
    expect(explain('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });

  it('clock and calendar day of simulated time', () => {
    expect(clockOf(0)).toBe('00:00:00.000');
    expect(clockOf(110_085_587.79)).toBe('06:34:45.587');
    expect(dayOf('2026-08-01', 0)).toBe('Saturday 1 August 2026');
    expect(dayOf('2026-08-01', 110_085_587)).toBe('Sunday 2 August 2026');
    expect(dayOf('2026-12-31', 86_400_000)).toBe('Friday 1 January 2027');
  });
});

describe('replay pacing', () => {
  const at = (t: number): StoryMessage => ({ t, patient: 'p', flow: 'ePrescription', step: 'xcpd', from: 'ncpB', to: 'ncpA', kind: 'request' });

  it('gives each message a beat, keeps sub-second gaps readable and shrinks hours to a few seconds', () => {
    expect(replayTimes([at(0), at(0), at(300), at(3_600_000)], { minBeatMs: 900, maxBeatMs: 3000 })).toEqual([900, 1800, 3000, 6000]);
    expect(replayTimes([])).toEqual([]);
  });

  it('the player shows one message per timeout, pauses, steps and restarts (fake clock)', async () => {
    const clock = new FakeClock();
    const shown: number[] = [];
    let ends = 0;
    const player = new DemoPlayer([100, 200, 300], clock, { show: (i) => shown.push(i), end: () => ends++ }, { paused: true });
    player.start();
    player.step();
    await until('first step', () => shown.length === 1);
    expect(shown).toEqual([0]);
    expect(player.paused).toBe(true);
    player.togglePause();
    await until('the end', () => ends === 1);
    expect(shown).toEqual([0, 1, 2]);
    await player.restart();
    await until('the end again', () => ends === 2);
    expect(shown).toEqual([0, 1, 2, -1, 0, 1, 2]);
    player.faster();
    expect(player.speed).toBe(2);
    player.slower();
    player.slower();
    expect(player.speed).toBe(0.5);
    await player.stop();
  });
});

describe('demo app (ink)', () => {
  const story: DemoStory = demoStory(loadScenario(scenario, { sets: small }), { patient: 'german-tourists.41' });
  const times = replayTimes(story.messages);

  it('starts paused on request; → steps one message; space plays to the end; r restarts; q quits', async () => {
    const clock = new FakeClock();
    const app = render(<DemoApp story={story} times={times} clock={clock} speed={1} paused columns={100} rows={16} animate={false} />);
    const frame = (): string => (app.lastFrame() ?? '').replace(ANSI, '');
    await until('paused status', () => frame().includes('❚❚ paused'));
    expect(frame()).toContain(`message 0/${story.messages.length}`);
    expect(frame()).toContain('NCP-B');
    expect(frame()).toContain('Terminology');

    app.stdin.write('\u001B[C');
    await until('one message', () => frame().includes(`message 1/${story.messages.length}`));
    expect(frame()).toContain('Emergency: a 56-year-old woman from Germany is seen at a hospital in France');
    expect(frame()).toContain('17:49:56.119');
    const path = join(goldenDir, 'demo-app-step.txt');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, frame() + '\n');
    expect(frame() + '\n').toBe(readFileSync(path, 'utf8'));

    app.stdin.write(' ');
    await until('the end', () => frame().includes('■ the end'));
    expect(frame()).toContain(`message ${story.messages.length}/${story.messages.length}`);
    expect(frame()).toContain('ERROR_NO_CONSENT');

    app.stdin.write('+');
    await until('speed ×2', () => frame().includes('speed ×2'));
    const before = app.frames.length;
    app.stdin.write('r');
    await until('restarted and played to the end again', () => app.frames.slice(before).some((f) => f.includes('message 1/')) && frame().includes('■ the end'));
    expect(frame()).toContain('speed ×2');
    app.stdin.write('q');
    app.unmount();
  });
});
