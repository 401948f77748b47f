/**
 * Number and bar formatting shared by the screens: pure string functions
 * (fixed decimals, no locale), so frames are identical on every machine.
 */

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar `width` cells wide, filled to `fraction` (0..1) in eighths; the rest is `empty`. */
export function bar(fraction: number, width: number, empty = '░'): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8]!;
  const used = full + (part === '' ? 0 : 1);
  return '█'.repeat(full) + part + empty.repeat(Math.max(0, width - used));
}

/** Milliseconds, 3 significant-ish digits: `0.8`, `37.4`, `1977`. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** A rate as a percentage with `digits` decimals. */
export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-';
}

/** A count, shortened: `950`, `12.3 k`, `2.48 M`. */
export function count(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)} k`;
  return String(Math.round(x));
}

/** Wall time, `m:ss` or `h:mm:ss`. */
export function clock(msValue: number): string {
  const s = Math.max(0, Math.round(msValue / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A simulated duration in words: `850 ms`, `12.0 s`, `3.5 min`, `2.1 h`, `4.0 d`. */
export function span(msValue: number): string {
  if (msValue < 1000) return `${Math.round(msValue)} ms`;
  if (msValue < 60_000) return `${(msValue / 1000).toFixed(1)} s`;
  if (msValue < 3_600_000) return `${(msValue / 60_000).toFixed(1)} min`;
  if (msValue < 86_400_000) return `${(msValue / 3_600_000).toFixed(1)} h`;
  return `${(msValue / 86_400_000).toFixed(1)} d`;
}

/** `s` cut to `width` with an ellipsis, or padded to it. */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width) return s.padEnd(width);
  return width === 1 ? '…' : s.slice(0, width - 1) + '…';
}
