/**
 * Geometry of the demo's swim lanes, as pure string work: six lanes (patient,
 * point of care in B, NCP-B, NCP-A, national services in A, terminology),
 * a time column on the left and a note column on the right (reason codes,
 * long gaps). A message is an arrow between two lanes, drawn part way while
 * it travels (`progress` < 1). Rows come out as tone-tagged segments so the
 * component can colour them (or not, with NO_COLOR).
 */
import type { Actor } from '../../agents/observer.ts';
import type { StoryMessage } from '../demo-story.ts';
import { fit } from './format.ts';

export const LANE_COUNT = 6;
const TIME_WIDTH = 14;
const NOTE_MIN = 20;

export type Tone = 'plain' | 'time' | 'lane' | 'request' | 'response' | 'local' | 'fail' | 'label' | 'note';

export interface Segment {
  readonly text: string;
  readonly tone: Tone;
}

export interface LaneGeometry {
  readonly width: number;
  /** Columns between two lanes. */
  readonly spacing: number;
  /** Column of each lane's line. */
  readonly centers: readonly number[];
  /** First column of the note area. */
  readonly noteStart: number;
}

export function laneGeometry(width: number): LaneGeometry {
  const spacing = Math.max(11, Math.min(18, Math.floor((width - TIME_WIDTH - NOTE_MIN) / LANE_COUNT)));
  const centers = Array.from({ length: LANE_COUNT }, (_, i) => TIME_WIDTH + i * spacing + Math.floor(spacing / 2));
  return { width, spacing, centers, noteStart: TIME_WIDTH + LANE_COUNT * spacing + 1 };
}

/** The lane an actor is drawn on: a device on the patient's, A's health platform on A's national services. */
export function laneOf(actor: Actor): number {
  switch (actor) {
    case 'patient':
    case 'device':
      return 0;
    case 'pointOfCare':
      return 1;
    case 'ncpB':
      return 2;
    case 'ncpA':
      return 3;
    case 'nationalA':
    case 'platformA':
      return 4;
    case 'terminology':
      return 5;
  }
}

/** The two header lines: who each lane is, and where. */
export function laneHeader(g: LaneGeometry, pointOfCare: 'Pharmacy' | 'Hospital', home: string, destination: string): [string, string] {
  const names = ['Patient', pointOfCare, 'NCP-B', 'NCP-A', 'National', 'Terminology'];
  const places = [`from ${home}`, destination, destination, home, home, 'central'];
  return [centred(g, names), centred(g, places)];
}

function centred(g: LaneGeometry, labels: readonly string[]): string {
  const row = Array.from({ length: g.width }, () => ' ');
  labels.forEach((label, i) => {
    const text = label.length > g.spacing + 2 ? fit(label, g.spacing + 2) : label;
    const start = Math.max(0, g.centers[i]! - Math.floor((text.length - 1) / 2));
    for (let k = 0; k < text.length && start + k < g.width; k++) row[start + k] = text[k]!;
  });
  return row.join('').trimEnd();
}

const SHORT: Readonly<Record<string, string>> = {
  visit: 'visit',
  hcpAssertion: 'HCP',
  xcpd: 'XCPD',
  trc: 'TRC',
  xcaQuery: 'XCA query',
  xcaRetrieve: 'retrieve',
  translate: 'translate',
  xdrSubmit: 'XDR',
  upload: 'upload',
  outcome: 'outcome',
};

/** A row with only the lane lines (and an optional time). */
export function emptyRow(g: LaneGeometry, time = ''): Segment[] {
  const chars = blank(g);
  put(chars, 0, time, 'time');
  for (const c of g.centers) chars[c] = { ch: '│', tone: 'lane' };
  return segments(chars);
}

/**
 * One message as a row: `time  │ ──label──▶ │ ...  note`. Requests and
 * answers are solid, the lookup at A dotted (◀┄┄▶), a failure dashed with ✗
 * on the lane where it happened and its reason code in the note column.
 */
export function messageRow(g: LaneGeometry, m: StoryMessage, time: string, note: string, progress = 1): Segment[] {
  const chars = blank(g);
  put(chars, 0, time, 'time');
  for (const c of g.centers) chars[c] = { ch: '│', tone: 'lane' };
  const a = laneOf(m.from);
  const b = laneOf(m.to);
  const tone: Tone = m.kind === 'failure' ? 'fail' : m.kind === 'local' ? 'local' : m.kind === 'request' ? 'request' : 'response';
  const xa = g.centers[a]!;
  const xb = g.centers[b]!;
  if (m.kind === 'failure') chars[xa] = { ch: '✗', tone: 'fail' };
  if (a === b) {
    chars[xa] = { ch: m.kind === 'failure' ? '✗' : '●', tone };
  } else {
    const dir = xb > xa ? 1 : -1;
    const n = Math.abs(xb - xa) - 1;
    const shown = Math.max(1, Math.min(n, Math.ceil(Math.min(1, Math.max(0, progress)) * n)));
    const line = m.kind === 'failure' ? '╌' : m.kind === 'local' ? '┄' : '─';
    for (let k = 0; k < shown; k++) chars[xa + dir * (1 + k)] = { ch: line, tone };
    chars[xa + dir * shown] = { ch: dir > 0 ? '▶' : '◀', tone };
    if (m.kind === 'local' && shown === n) chars[xa + dir] = { ch: dir > 0 ? '◀' : '▶', tone };
    const label = m.kind === 'failure' ? 'error' : m.kind === 'local' ? 'lookup' : (SHORT[m.step] ?? m.step);
    if (shown === n && label.length + 2 <= n - 2) {
      const lo = Math.min(xa, xb) + 1;
      const start = lo + 1 + Math.floor((n - 2 - (label.length + 2)) / 2);
      put(chars, start, ` ${label} `, m.kind === 'failure' ? 'fail' : 'label');
    }
  }
  const noteText = m.kind === 'failure' ? (m.reason ?? 'failure') : note;
  if (noteText !== '') put(chars, g.noteStart, fit(noteText, g.width - g.noteStart).trimEnd(), m.kind === 'failure' ? 'fail' : 'note');
  return segments(chars);
}

interface Cell {
  ch: string;
  tone: Tone;
}

function blank(g: LaneGeometry): Cell[] {
  return Array.from({ length: g.width }, () => ({ ch: ' ', tone: 'plain' as Tone }));
}

function put(chars: Cell[], at: number, text: string, tone: Tone): void {
  for (let k = 0; k < text.length && at + k < chars.length; k++) chars[at + k] = { ch: text[k]!, tone };
}

function segments(chars: readonly Cell[]): Segment[] {
  let end = chars.length;
  while (end > 0 && chars[end - 1]!.ch === ' ') end--;
  const out: Segment[] = [];
  for (let i = 0; i < end; i++) {
    const c = chars[i]!;
    const last = out[out.length - 1];
    if (last !== undefined && last.tone === c.tone) out[out.length - 1] = { text: last.text + c.ch, tone: c.tone };
    else out.push({ text: c.ch, tone: c.tone });
  }
  return out;
}
