/**
 * Means and 95 % confidence intervals across replications (Student t with
 * n - 1 degrees of freedom). With fewer than two replications there is no
 * interval: it is null, never a made-up width.
 */
import jstat from 'jstat';

export type Ci95 = readonly [number, number] | null;

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function ci95(xs: readonly number[]): Ci95 {
  const n = xs.length;
  if (n < 2) return null;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const half = jstat.jStat.studentt.inv(0.975, n - 1) * (sd / Math.sqrt(n));
  return [m - half, m + half];
}
