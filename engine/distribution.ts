/**
 * Probability distributions as plain, serialisable data, and how to sample them.
 * Durations are in ms. lognormal is given by its median and the sigma of its log,
 * weibull by scale and shape, empirical by values with optional weights.
 * sample() is a pure function of the distribution and the stream's next draws.
 */
import type { RandomStream } from './random.ts';

export type Distribution =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly kind: 'lognormal'; readonly median: number; readonly sigma: number }
  | { readonly kind: 'weibull'; readonly scale: number; readonly shape: number }
  | { readonly kind: 'triangular'; readonly min: number; readonly mode: number; readonly max: number }
  | { readonly kind: 'empirical'; readonly values: readonly number[]; readonly weights: readonly number[] };

export type DistributionKind = Distribution['kind'];

/** Draws one value. Normal draws can be negative; callers that need durations use sampleDuration. */
export function sample(d: Distribution, rng: RandomStream): number {
  switch (d.kind) {
    case 'const':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'exponential':
      return -d.mean * Math.log(1 - rng.next());
    case 'normal':
      return rng.normal(d.mean, d.sd);
    case 'lognormal':
      return d.median * Math.exp(d.sigma * rng.normal(0, 1));
    case 'weibull':
      return d.scale * Math.pow(-Math.log(1 - rng.next()), 1 / d.shape);
    case 'triangular': {
      const u = rng.next();
      const { min, mode, max } = d;
      const f = (mode - min) / (max - min);
      return u < f ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
    }
    case 'empirical':
      return d.values[rng.weightedIndex(d.weights)]!;
  }
}

/** A draw clamped at 0, for durations (only normal can go below). */
export function sampleDuration(d: Distribution, rng: RandomStream): number {
  const x = sample(d, rng);
  return x > 0 ? x : 0;
}

export function mean(d: Distribution): number {
  switch (d.kind) {
    case 'const':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exponential':
      return d.mean;
    case 'normal':
      return d.mean;
    case 'lognormal':
      return d.median * Math.exp((d.sigma * d.sigma) / 2);
    case 'weibull':
      return d.scale * gamma(1 + 1 / d.shape);
    case 'triangular':
      return (d.min + d.mode + d.max) / 3;
    case 'empirical': {
      const tw = d.weights.reduce((a, b) => a + b, 0);
      return d.values.reduce((s, v, i) => s + (v * d.weights[i]!) / tw, 0);
    }
  }
}

export function variance(d: Distribution): number {
  switch (d.kind) {
    case 'const':
      return 0;
    case 'uniform':
      return (d.max - d.min) ** 2 / 12;
    case 'exponential':
      return d.mean * d.mean;
    case 'normal':
      return d.sd * d.sd;
    case 'lognormal': {
      const s2 = d.sigma * d.sigma;
      return (Math.exp(s2) - 1) * d.median * d.median * Math.exp(s2);
    }
    case 'weibull': {
      const g1 = gamma(1 + 1 / d.shape);
      return d.scale * d.scale * (gamma(1 + 2 / d.shape) - g1 * g1);
    }
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    }
    case 'empirical': {
      const m = mean(d);
      const tw = d.weights.reduce((a, b) => a + b, 0);
      return d.values.reduce((s, v, i) => s + ((v - m) ** 2 * d.weights[i]!) / tw, 0);
    }
  }
}

/** Lanczos approximation of the gamma function (|error| < 1e-13 for x > 0.5). */
export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}
