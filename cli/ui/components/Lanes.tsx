/**
 * The demo's swim lanes: a two-line header naming each actor and where it is,
 * then the last `rows` messages as arrows between lanes (newest at the
 * bottom, in bold, drawn `progress` of the way while it travels), padded
 * with empty lane rows so the screen never jumps.
 */
import { Box, Text } from 'ink';
import type { StoryMessage } from '../../demo-story.ts';
import { emptyRow, laneGeometry, laneHeader, messageRow, type Segment, type Tone } from '../lanes-layout.ts';
import { usePalette, type Palette } from '../theme.ts';

export interface LaneEntry {
  readonly message: StoryMessage;
  /** `HH:MM:SS.mmm` of the message. */
  readonly time: string;
  /** Shown in the note column (e.g. a long gap); failures show their reason there instead. */
  readonly note: string;
}

export interface LanesProps {
  /** The messages shown so far, oldest first (only the last `rows` are drawn). */
  readonly entries: readonly LaneEntry[];
  readonly home: string;
  readonly destination: string;
  readonly pointOfCare: 'Pharmacy' | 'Hospital';
  readonly width: number;
  readonly rows: number;
  /** How far the newest message has travelled, 0..1. */
  readonly progress?: number;
}

export function Lanes({ entries, home, destination, pointOfCare, width, rows, progress = 1 }: LanesProps) {
  const c = usePalette();
  const g = laneGeometry(width);
  const [names, places] = laneHeader(g, pointOfCare, home, destination);
  const visible = entries.slice(Math.max(0, entries.length - rows));
  const lines: Segment[][] = visible.map((e, i) => messageRow(g, e.message, e.time, e.note, i === visible.length - 1 ? progress : 1));
  while (lines.length < rows) lines.push(emptyRow(g));
  const newest = visible.length - 1;
  return (
    <Box flexDirection="column">
      <Text bold>{names}</Text>
      <Text color={c.muted}>{places}</Text>
      {lines.map((segs, i) => (
        <Text key={i} bold={i === newest}>
          {segs.map((s, k) => (
            <Text key={k} color={toneColour(c, s.tone)}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

function toneColour(c: Palette, tone: Tone): string | undefined {
  switch (tone) {
    case 'lane':
    case 'note':
      return c.muted;
    case 'request':
      return c.request;
    case 'response':
      return c.response;
    case 'local':
      return c.local;
    case 'fail':
      return c.fail;
    default:
      return undefined;
  }
}
