// Distributions: sample moments against theory, and the compact notation
// (what parses, what it means, and the exact errors for what does not).
import { describe, expect, it } from 'vitest';
import { DistributionError, RandomStream, formatDistribution, mean, parseDistribution, parseDuration, sample, variance, type Distribution } from '../../engine/index.ts';

const N = 200_000;

function moments(d: Distribution, seed: string): { m: number; v: number } {
  const rng = RandomStream.root(seed);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const x = sample(d, rng);
    s += x;
    s2 += x * x;
  }
  const m = s / N;
  return { m, v: s2 / N - m * m };
}

describe('sample moments', () => {
  const cases: [string, string][] = [
    ['uniform', 'uniform(3d, 10d)'],
    ['exponential', 'exp(2h)'],
    ['normal', 'normal(10s, 2s)'],
    ['lognormal', 'lognormal(410ms, 0.25)'],
    ['weibull', 'weibull(1h, 1.5)'],
    ['triangular', 'triangular(1s, 2s, 6s)'],
    ['empirical', 'empirical(100ms:0.2, 200ms:0.5, 900ms:0.3)'],
  ];
  for (const [name, text] of cases) {
    it(`${name}: mean within 1 % and variance within 4 % of theory`, () => {
      const d = parseDistribution(text);
      const { m, v } = moments(d, name);
      expect(Math.abs(m / mean(d) - 1)).toBeLessThan(0.01);
      expect(Math.abs(v / variance(d) - 1)).toBeLessThan(0.04);
    });
  }

  it('const has zero variance', () => {
    const d = parseDistribution('250ms');
    expect(moments(d, 'c')).toEqual({ m: 250, v: 0 });
  });
});

describe('notation', () => {
  it('reads units into ms and keeps shape parameters unitless', () => {
    expect(parseDistribution('lognormal(410ms, 0.25)')).toEqual({ kind: 'lognormal', median: 410, sigma: 0.25 });
    expect(parseDistribution('exp(2h)')).toEqual({ kind: 'exponential', mean: 7_200_000 });
    expect(parseDistribution(' uniform( 3d ,10d ) ')).toEqual({ kind: 'uniform', min: 259_200_000, max: 864_000_000 });
    expect(parseDistribution('empirical(1s, 3s)')).toEqual({ kind: 'empirical', values: [1000, 3000], weights: [1, 1] });
    expect(parseDistribution('1.5min')).toEqual({ kind: 'const', value: 90_000 });
    expect(parseDistribution('uniform(1, 3)', 'number')).toEqual({ kind: 'uniform', min: 1, max: 3 });
    expect(parseDuration('180s')).toBe(180_000);
    expect(parseDuration('1d10h30min')).toBe(34.5 * 3_600_000);
    expect(() => parseDuration('1d10')).toThrow(/expected a unit after 10/);
    expect(() => parseDuration('-6h')).toThrow(/expected a duration >= 0/);
  });

  it('round-trips through formatDistribution', () => {
    for (const t of ['lognormal(410ms, 0.25)', 'exp(2h)', 'uniform(3d, 10d)', 'weibull(1h, 1.5)', 'triangular(1s, 2s, 6s)', 'empirical(1s:1, 2s:3)', 'normal(5s, 1s)', '7ms']) {
      const d = parseDistribution(t);
      expect(parseDistribution(formatDistribution(d))).toEqual(d);
    }
  });

  const bad: [string, string, number][] = [
    ['lognormal(410, 0.25)', 'expected a unit after 410 (ms, s, min, h, d)', 14],
    ['lognorml(410ms, 0.25)', 'expected a distribution name', 1],
    ['exp(2 hours)', 'expected a time unit (ms, s, min, h, d)', 7],
    ['exp(2hr)', 'expected a time unit', 6],
    ['uniform(10d, 3d)', 'expected min <= max', 14],
    ['exp(0s)', 'expected a mean > 0', 5],
    ['exp(-2h)', 'expected a mean > 0', 5],
    ['lognormal(410ms, 0.25s)', 'expected a plain number (this parameter has no unit)', 18],
    ['normal(1s)', 'expected 2 parameters (mean, sd), got 1', 1],
    ['triangular(1s, 9s, 6s)', 'expected min <= mode <= max', 12],
    ['weibull(1h, 0)', 'expected a shape > 0', 13],
    ['exp(2h', 'expected ")" to close exp(', 7],
    ['exp(2h) + 1s', 'expected end of input', 9],
    ['', 'expected a distribution', 1],
    ['uniform(1s, 3)', 'expected a unit after 3', 14],
    ['empirical(1s:0.5, 2s)', 'expected weights on every value or on none', 11],
    ['exp(2h)', '', 0],
  ];
  for (const [input, message, column] of bad) {
    if (message === '') continue;
    it(`rejects "${input}" at column ${column}`, () => {
      try {
        parseDistribution(input);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DistributionError);
        const err = e as DistributionError;
        expect(err.message).toContain(message);
        expect(err.offset + 1).toBe(column);
      }
    });
  }

  it('gives did-you-mean hints', () => {
    expect(() => parseDistribution('lognorml(410ms, 0.25)')).toThrow(expect.objectContaining({ hint: 'did you mean `lognormal`?' }));
    expect(() => parseDistribution('exp(2hr)')).toThrow(expect.objectContaining({ hint: 'did you mean `h`?' }));
    expect(() => parseDistribution('5', 'duration')).toThrow(expect.objectContaining({ hint: 'write 5ms or 5s' }));
    expect(() => parseDistribution('5s', 'number')).toThrow(/not a duration/);
  });
});
