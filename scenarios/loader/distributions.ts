/**
 * Distribution values with the domain's bounds on top of the notation's own
 * checks: a duration distribution must not reach below 0 (a stay of -2 days,
 * an arrival before t = 0), an age distribution stays within AGE_MIN..AGE_MAX.
 * Bounds are checked on the parameters (for unbounded kinds, the centre).
 */
import { isScalar } from 'yaml';
import type { Distribution } from '../../engine/index.ts';
import { AGE_MAX, AGE_MIN } from '../defaults.ts';
import type { Reader, Value } from './reader.ts';

/** A duration distribution (ms) that cannot be negative. */
export function durationDistribution(r: Reader, node: Value, path: string): Distribution | undefined {
  const d = r.distribution(node, path, 'duration');
  if (d === undefined) return undefined;
  const [lo] = span(d);
  if (lo < 0) {
    r.report(node, path, `the distribution ${text(node)} goes below 0`, { expected: 'durations >= 0', hint: 'times here are lengths or offsets from the start; make every parameter >= 0' });
    return undefined;
  }
  return d;
}

/** An age distribution in years. */
export function ageDistribution(r: Reader, node: Value, path: string): Distribution | undefined {
  const d = r.distribution(node, path, 'number');
  if (d === undefined) return undefined;
  const [lo, hi] = span(d);
  if (lo < AGE_MIN || hi > AGE_MAX) {
    r.report(node, path, `the distribution ${text(node)} gives ages outside ${AGE_MIN}..${AGE_MAX}`, { expected: `ages from ${AGE_MIN} to ${AGE_MAX} years`, hint: 'ages are in years, e.g. triangular(18, 45, 90)' });
    return undefined;
  }
  return d;
}

/** Lowest and highest value the parameters name (the centre for unbounded kinds). */
function span(d: Distribution): [number, number] {
  switch (d.kind) {
    case 'const':
      return [d.value, d.value];
    case 'uniform':
    case 'triangular':
      return [d.min, d.max];
    case 'empirical':
      return [Math.min(...d.values), Math.max(...d.values)];
    case 'normal':
    case 'exponential':
      return [d.mean, d.mean];
    case 'lognormal':
      return [d.median, d.median];
    case 'weibull':
      return [d.scale, d.scale];
  }
}

function text(node: Value): string {
  return isScalar(node) ? `"${node.source ?? String(node.value)}"` : '';
}
