/**
 * The teaching demo: one patient's journey, paced in real time. Status and
 * clock on top, the swim lanes with each message drawn as it travels, the
 * narration of the newest message, then the legend and keys. Keys: space
 * pause/resume, → step one message, + and - speed, r restart, q (or Ctrl-C)
 * quit. Without a keyboard (stdin not raw-capable) it quits at the end.
 */
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { WallClock } from '../../../engine/index.ts';
import type { DemoStory } from '../../demo-story.ts';
import { clockOf, dayOf, narrate, patientLine } from '../../narration.ts';
import { DemoPlayer } from '../demo-player.ts';
import { span } from '../format.ts';
import { DemoStatus } from './DemoStatus.tsx';
import { Lanes, type LaneEntry } from './Lanes.tsx';
import { Legend } from './Legend.tsx';
import { Narration } from './Narration.tsx';

export interface DemoAppProps {
  readonly story: DemoStory;
  /** Replay time of each message (demo-story.ts replayTimes). */
  readonly times: readonly number[];
  readonly clock: WallClock;
  readonly speed: number;
  readonly paused?: boolean;
  readonly columns: number;
  /** Lane rows to draw. */
  readonly rows: number;
  /** Draw each arrow growing across the lanes (off in tests). */
  readonly animate?: boolean;
}

/** Gaps longer than this get a "+2.0 h" note on their row. */
const NOTE_GAP_MS = 60_000;

export function DemoApp({ story, times, clock, speed, paused = false, columns, rows, animate = true }: DemoAppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const interactive = isRawModeSupported === true;
  const [shown, setShown] = useState(-1);
  const [ended, setEnded] = useState(false);
  const [progress, setProgress] = useState(1);
  const [controls, setControls] = useState({ paused, speed });
  const player = useRef<DemoPlayer | null>(null);

  useEffect(() => {
    const p = new DemoPlayer(times, clock, {
      show: (i) => {
        setShown(i);
        setEnded(false);
        setProgress(animate ? 0 : 1);
      },
      end: () => setEnded(true),
    }, { speed, paused });
    player.current = p;
    p.start();
    return () => void p.stop();
  }, [times, clock, speed, paused, animate]);

  useEffect(() => {
    if (progress >= 1) return;
    const timer = setTimeout(() => setProgress((x) => Math.min(1, x + 0.25)), 40);
    return () => clearTimeout(timer);
  }, [progress]);

  useEffect(() => {
    if (ended && !interactive) exit();
  }, [ended, interactive]);

  const quit = (): void => {
    void player.current?.stop().then(() => exit());
  };
  const sync = (): void => {
    const p = player.current;
    if (p !== null) setControls({ paused: p.paused, speed: p.speed });
  };
  useInput(
    (input, key) => {
      const p = player.current;
      if (p === null) return;
      if (input === 'q' || (key.ctrl && input === 'c')) quit();
      else if (input === ' ') p.togglePause();
      else if (key.rightArrow) p.step();
      else if (input === '+' || input === '=') p.faster();
      else if (input === '-' || input === '_') p.slower();
      else if (input === 'r') void p.restart().then(sync);
      sync();
    },
    { isActive: interactive },
  );

  const entries = useMemo<LaneEntry[]>(
    () =>
      story.messages.slice(0, shown + 1).map((m, i) => {
        const prev = i === 0 ? null : story.messages[i - 1]!;
        const gap = prev === null ? 0 : m.t - prev.t;
        return { message: m, time: clockOf(m.t), note: gap > NOTE_GAP_MS ? `+${span(gap)} later` : '' };
      }),
    [story, shown],
  );
  const current = shown >= 0 ? story.messages[shown] : undefined;
  const first = story.messages[0];
  const clockT = current?.t ?? first?.t ?? 0;
  const pointOfCare = (current ?? first)?.flow === 'patientSummary' ? 'Hospital' : 'Pharmacy';
  const text = ended
    ? `${current === undefined ? '' : narrate(current, story.patient) + '  '}(the end of this story: r restart, q quit)`
    : current === undefined
      ? `${patientLine(story.patient)}. The story starts in a moment; space pauses, → steps one message.`
      : narrate(current, story.patient);
  const p = story.patient;
  return (
    <Box flexDirection="column" width={columns}>
      <DemoStatus
        title={`${story.scenario}  ·  seed ${story.seed}  ·  patient ${p.id} (${p.homeName} → ${p.destinationName})`}
        day={dayOf(story.startDate, clockT)}
        time={clockOf(clockT)}
        paused={controls.paused}
        ended={ended}
        speed={controls.speed}
        shown={shown + 1}
        total={story.messages.length}
      />
      <Text> </Text>
      <Lanes entries={entries} home={p.home} destination={p.destination} pointOfCare={pointOfCare} width={columns} rows={rows} progress={progress} />
      <Narration text={text} failure={current?.kind === 'failure'} width={columns} />
      <Legend iot={story.messages.some((m) => m.flow === 'iotUpload')} />
    </Box>
  );
}
