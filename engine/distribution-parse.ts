/**
 * Reads the compact distribution notation of scenarios: `lognormal(410ms, 0.25)`,
 * `exp(2h)`, `uniform(3d, 10d)`, `empirical(1s:0.2, 5s:0.8)`, or a bare quantity
 * (`250ms`) for a constant. In duration mode every time parameter needs a unit
 * (ms s min h d) and the result is in ms; in number mode units are refused.
 * Errors are DistributionErrors that say where, what was expected, and a hint.
 */
import type { Distribution } from './distribution.ts';
import { DistributionError } from './errors.ts';
import { closest } from './suggest.ts';
import { MS_PER_UNIT, TIME_UNITS } from './units.ts';

export type Dimension = 'duration' | 'number';

type Role = 'q' | 'shape';
interface Form {
  readonly canonical: Distribution['kind'];
  readonly params: readonly string[];
  readonly roles: readonly Role[];
}

const FORMS: Readonly<Record<string, Form>> = {
  const: { canonical: 'const', params: ['value'], roles: ['q'] },
  constant: { canonical: 'const', params: ['value'], roles: ['q'] },
  uniform: { canonical: 'uniform', params: ['min', 'max'], roles: ['q', 'q'] },
  exp: { canonical: 'exponential', params: ['mean'], roles: ['q'] },
  exponential: { canonical: 'exponential', params: ['mean'], roles: ['q'] },
  normal: { canonical: 'normal', params: ['mean', 'sd'], roles: ['q', 'q'] },
  lognormal: { canonical: 'lognormal', params: ['median', 'sigma'], roles: ['q', 'shape'] },
  weibull: { canonical: 'weibull', params: ['scale', 'shape'], roles: ['q', 'shape'] },
  triangular: { canonical: 'triangular', params: ['min', 'mode', 'max'], roles: ['q', 'q', 'q'] },
  empirical: { canonical: 'empirical', params: [], roles: [] },
};
const NAMES = Object.keys(FORMS);
const SIGNATURES =
  'const(x), uniform(min, max), exp(mean), normal(mean, sd), lognormal(median, sigma), weibull(scale, shape), triangular(min, mode, max), empirical(v1, v2, ... | v1:w1, ...)';

interface Quantity {
  value: number;
  unit: string | undefined;
  start: number;
  end: number;
}

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  skipSpace(): void {
    while (this.pos < this.s.length && (this.s[this.pos] === ' ' || this.s[this.pos] === '\t')) this.pos++;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  eof(): boolean {
    return this.pos >= this.s.length;
  }
  fail(expected: string, hint?: string, at = this.pos): never {
    throw new DistributionError(this.s, at, expected, hint);
  }
  /** A unit: letters only, so `1d10h` reads as 1 d then 10 h. */
  letters(): string {
    const m = /^[A-Za-z]+/.exec(this.s.slice(this.pos));
    if (m === null) return '';
    this.pos += m[0].length;
    return m[0];
  }
  word(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos));
    if (m === null) return '';
    this.pos += m[0].length;
    return m[0];
  }
  quantity(): Quantity {
    this.skipSpace();
    const start = this.pos;
    const m = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(this.s.slice(this.pos));
    if (m === null) this.fail('a number', 'numbers look like 410, 0.25 or 1e3; durations add a unit: 410ms');
    this.pos += m[0].length;
    const numberEnd = this.pos;
    this.skipSpace(); // "2 h" reads as "2h"
    const unitStart = this.pos;
    const unit = this.letters();
    if (unit === '') this.pos = numberEnd;
    if (unit !== '' && !(unit in MS_PER_UNIT)) {
      const near = closest(unit, TIME_UNITS);
      this.fail(`a time unit (${TIME_UNITS.join(', ')})`, near ? `did you mean \`${near}\`?` : undefined, unitStart);
    }
    return { value: Number(m[0]), unit: unit === '' ? undefined : unit, start, end: unit === '' ? numberEnd : this.pos };
  }
}

/** Parses a distribution string; throws DistributionError. */
export function parseDistribution(input: string, dimension: Dimension = 'duration'): Distribution {
  const r: Reader = new Reader(input);
  r.skipSpace();
  if (r.eof()) r.fail(`a distribution such as ${dimension === 'duration' ? 'exp(2h) or 250ms' : 'uniform(1, 3) or 5'}`);
  const c = r.peek();
  if (/[0-9.+-]/.test(c)) {
    const q = r.quantity();
    endOfInput(r);
    return { kind: 'const', value: convert(r, q, 'q', dimension) };
  }
  const nameStart = r.pos;
  const name = r.word();
  const form = FORMS[name.toLowerCase()];
  if (form === undefined) {
    const near = closest(name, NAMES);
    r.fail(`a distribution name (${SIGNATURES})`, near ? `did you mean \`${near}\`?` : undefined, nameStart);
  }
  r.skipSpace();
  if (r.peek() !== '(') r.fail(`"(" after ${name}`, `write ${name}(...)`);
  r.pos++;
  const args: { q: Quantity; weight: number | undefined; weightAt: number }[] = [];
  for (;;) {
    r.skipSpace();
    if (r.peek() === ')' && args.length === 0) r.fail(`parameters of ${name}`, usage(form, name));
    const q = r.quantity();
    r.skipSpace();
    let weight: number | undefined;
    let weightAt = -1;
    if (r.peek() === ':') {
      if (form.canonical !== 'empirical') r.fail('"," or ")"', 'only empirical(...) takes value:weight pairs');
      r.pos++;
      r.skipSpace();
      weightAt = r.pos;
      const w = r.quantity();
      if (w.unit !== undefined) r.fail('a weight without a unit', 'weights are relative numbers such as 0.2 or 3', w.start);
      weight = w.value;
    }
    args.push({ q, weight, weightAt });
    r.skipSpace();
    if (r.peek() === ',') {
      r.pos++;
      continue;
    }
    if (r.peek() === ')') {
      r.pos++;
      break;
    }
    r.fail(r.eof() ? `")" to close ${name}(` : '"," or ")"', usage(form, name));
  }
  endOfInput(r);

  if (form.canonical === 'empirical') {
    const values = args.map((a) => convert(r, a.q, 'q', dimension));
    const weights = args.map((a) => a.weight ?? 1);
    const bad = args.findIndex((a) => a.weight !== undefined && !(a.weight >= 0));
    if (bad >= 0) r.fail('a weight >= 0', 'weights are relative frequencies', args[bad]!.weightAt);
    if (weights.some((w, i) => (args[i]!.weight === undefined) !== (args[0]!.weight === undefined))) {
      r.fail('weights on every value or on none', 'write empirical(1s:0.2, 2s:0.8) or empirical(1s, 2s)', args[0]!.q.start);
    }
    if (!(weights.reduce((a, b) => a + b, 0) > 0)) r.fail('at least one positive weight', undefined, args[0]!.q.start);
    return { kind: 'empirical', values, weights };
  }
  if (args.length !== form.params.length) {
    r.fail(`${form.params.length} parameter${form.params.length === 1 ? '' : 's'} (${form.params.join(', ')}), got ${args.length}`, usage(form, name), nameStart);
  }
  const v = args.map((a, i) => convert(r, a.q, form.roles[i]!, dimension));
  const at = (i: number): number => args[i]!.q.start;
  switch (form.canonical) {
    case 'const':
      return { kind: 'const', value: v[0]! };
    case 'uniform':
      if (!(v[0]! <= v[1]!)) r.fail('min <= max', `swap them: uniform(${args[1]!.q.value}${args[1]!.q.unit ?? ''}, ${args[0]!.q.value}${args[0]!.q.unit ?? ''})`, at(1));
      return { kind: 'uniform', min: v[0]!, max: v[1]! };
    case 'exponential':
      if (!(v[0]! > 0)) r.fail('a mean > 0', 'exp(mean) takes the mean time between events, e.g. exp(2h)', at(0));
      return { kind: 'exponential', mean: v[0]! };
    case 'normal':
      if (!(v[1]! >= 0)) r.fail('a standard deviation >= 0', undefined, at(1));
      return { kind: 'normal', mean: v[0]!, sd: v[1]! };
    case 'lognormal':
      if (!(v[0]! > 0)) r.fail('a median > 0', 'lognormal(median, sigma), e.g. lognormal(410ms, 0.25)', at(0));
      if (!(v[1]! >= 0)) r.fail('a sigma >= 0', 'sigma is the spread of the log, typically 0.1 to 1', at(1));
      return { kind: 'lognormal', median: v[0]!, sigma: v[1]! };
    case 'weibull':
      if (!(v[0]! > 0)) r.fail('a scale > 0', undefined, at(0));
      if (!(v[1]! > 0)) r.fail('a shape > 0', 'shape 1 is exponential; > 1 wears out, < 1 fails early', at(1));
      return { kind: 'weibull', scale: v[0]!, shape: v[1]! };
    case 'triangular':
      if (!(v[0]! <= v[1]! && v[1]! <= v[2]! && v[0]! < v[2]!)) r.fail('min <= mode <= max with min < max', 'triangular(min, mode, max)', at(0));
      return { kind: 'triangular', min: v[0]!, mode: v[1]!, max: v[2]! };
    default:
      return r.fail('a known distribution');
  }
}

/** Parses a duration such as `180s`, `6h`, `1.5d` or a compound `1d10h30min` into ms. */
export function parseDuration(input: string): number {
  const r: Reader = new Reader(input);
  r.skipSpace();
  if (r.eof()) r.fail('a duration such as 180s, 6h or 14d');
  const first = r.quantity();
  let ms = convert(r, first, 'q', 'duration');
  // Compound form: further quantities, each with a unit, add up (1d10h = 34h).
  while (!r.eof() && /[0-9.]/.test(r.peek())) {
    const q = r.quantity();
    if (q.unit === undefined) r.fail(`a unit after ${q.value} (${TIME_UNITS.join(', ')})`, `write ${q.value}h or ${q.value}min`, q.end);
    ms += convert(r, q, 'q', 'duration');
  }
  endOfInput(r);
  if (ms < 0) r.fail('a duration >= 0', undefined, first.start);
  return ms;
}

/** The compact notation of a distribution, in ms for durations (round-trips through parse). */
export function formatDistribution(d: Distribution, dimension: Dimension = 'duration'): string {
  const u = dimension === 'duration' ? 'ms' : '';
  const q = (x: number): string => `${+x.toPrecision(12)}${u}`;
  switch (d.kind) {
    case 'const':
      return q(d.value);
    case 'uniform':
      return `uniform(${q(d.min)}, ${q(d.max)})`;
    case 'exponential':
      return `exp(${q(d.mean)})`;
    case 'normal':
      return `normal(${q(d.mean)}, ${q(d.sd)})`;
    case 'lognormal':
      return `lognormal(${q(d.median)}, ${d.sigma})`;
    case 'weibull':
      return `weibull(${q(d.scale)}, ${d.shape})`;
    case 'triangular':
      return `triangular(${q(d.min)}, ${q(d.mode)}, ${q(d.max)})`;
    case 'empirical':
      return `empirical(${d.values.map((v, i) => `${q(v)}:${d.weights[i]}`).join(', ')})`;
  }
}

function convert(r: Reader, q: Quantity, role: Role, dimension: Dimension): number {
  if (role === 'shape') {
    if (q.unit !== undefined) r.fail('a plain number (this parameter has no unit)', `write ${q.value}`, q.start);
    return q.value;
  }
  if (dimension === 'number') {
    if (q.unit !== undefined) r.fail('a plain number (this value is not a duration)', `write ${q.value}`, q.start);
    return q.value;
  }
  if (q.unit === undefined) {
    r.fail(`a unit after ${q.value} (${TIME_UNITS.join(', ')})`, `write ${q.value}ms or ${q.value}s`, q.end);
  }
  return q.value * MS_PER_UNIT[q.unit]!;
}

function endOfInput(r: Reader): void {
  r.skipSpace();
  if (!r.eof()) r.fail('end of input', 'one distribution per value; remove what follows');
}

function usage(form: Form, name: string): string {
  return form.canonical === 'empirical' ? 'empirical(v1, v2, ...) or empirical(v1:w1, v2:w2, ...)' : `${name}(${form.params.join(', ')})`;
}
