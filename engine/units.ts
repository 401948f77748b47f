/**
 * Simulated time and its units. SimTime is milliseconds since the scenario epoch,
 * a plain number, never a Date. Units are the compact ones scenarios use:
 * ms, s, min, h, d.
 */

export type SimTime = number;

export const MS_PER_UNIT: Readonly<Record<string, number>> = Object.freeze({
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
});

export const TIME_UNITS: readonly string[] = Object.freeze(['ms', 's', 'min', 'h', 'd']);

/** Human form of a duration in ms: 1500 -> "1.5s", 5400000 -> "1h30min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${round(ms)}ms`;
  if (ms < 60_000) return `${round(ms / 1000)}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  const d = Math.floor(rest / 86_400);
  rest -= d * 86_400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}min`);
  if (s && !d) parts.push(`${s}s`);
  return parts.join('');
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}
