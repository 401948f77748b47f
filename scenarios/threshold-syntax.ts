/**
 * The form of a threshold, `<path> <op> <number>`, read once for both places
 * that need it: the scenario loader (which reports a bad one at its YAML
 * line and column) and reports/thresholds.ts (which also resolves the path
 * against the Report's shape). Offsets are 0-based within the string given.
 *
 *   expression := path op number
 *   path       := segment ("." segment)*        segment := [A-Za-z0-9_-]+
 *   op         := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   number     := "-"? (digits ("." digits)? | "." digits) ([eE] [+-]? digits)?
 */

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** Longest first, so `<=` is not read as `<`. */
const OPERATORS: readonly Operator[] = ['<=', '>=', '==', '!=', '<', '>'];
const NUMBER = /-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const SEGMENT = /[A-Za-z0-9_-]+/y;
export const THRESHOLD_EXAMPLE = 'flows.ePrescription.latencyMs.p95 < 5000';
const WRITE = `write <path> <operator> <number>, e.g. ${THRESHOLD_EXAMPLE}`;
const OPS = 'one of < <= > >= == !=';

export interface PathSegment {
  readonly text: string;
  readonly offset: number;
}

/** Where the form breaks: the problem, what was expected there, and how to mend it. */
export interface ThresholdSyntaxProblem {
  readonly offset: number;
  readonly problem: string;
  readonly expected: string;
  readonly hint?: string;
}

/**
 * A threshold read as far as its form allows. `segments` is the path as far
 * as it was read and `pathEnd` the offset just after it; `problem` is set
 * when the form breaks (`inPath`: within the path, so no operator was read),
 * else `op` and `value` are.
 */
export type ThresholdSyntax =
  | { readonly segments: readonly PathSegment[]; readonly pathEnd: number; readonly op: Operator; readonly value: number; readonly problem?: undefined }
  | { readonly segments: readonly PathSegment[]; readonly pathEnd: number; readonly problem: ThresholdSyntaxProblem; readonly inPath: boolean };

/** Reads `input` (already trimmed). */
export function scanThreshold(input: string): ThresholdSyntax {
  const segments: PathSegment[] = [];
  let i = 0;
  const broken = (offset: number, problem: string, expected: string, hint?: string, inPath = false): ThresholdSyntax => ({
    segments,
    pathEnd: i,
    problem: hint === undefined ? { offset, problem, expected } : { offset, problem, expected, hint },
    inPath,
  });
  if (input === '') return broken(0, 'empty threshold', 'a metric path such as flows.ePrescription.successRate', WRITE, true);
  for (;;) {
    SEGMENT.lastIndex = i;
    const m = SEGMENT.exec(input);
    if (m === null) {
      const ch = input[i];
      if (segments.length === 0) return broken(i, `unexpected "${ch}"`, 'a metric path such as flows.ePrescription.successRate', WRITE, true);
      return broken(i, ch === undefined ? 'the path ends with "."' : `unexpected "${ch}"`, 'a path segment (letters, digits, _ or -)', undefined, true);
    }
    segments.push({ text: m[0], offset: i });
    i += m[0].length;
    if (input[i] !== '.') break;
    i += 1;
  }
  if (input[i] === '(') {
    const last = segments[segments.length - 1]!;
    return broken(i, 'unexpected "("', 'a "." or an operator', `k6's ${last.text}(...) is written as a path here, e.g. latencyMs.p95 for p(95)`, true);
  }
  const pathEnd = i;
  const after = (offset: number, problem: string, expected: string, hint?: string): ThresholdSyntax => ({
    segments,
    pathEnd,
    problem: hint === undefined ? { offset, problem, expected } : { offset, problem, expected, hint },
    inPath: false,
  });

  while (input[i] === ' ' || input[i] === '\t') i += 1;
  if (input.startsWith('<>', i)) return after(i, 'unexpected "<>"', OPS, 'write != (not equal)');
  const op = OPERATORS.find((o) => input.startsWith(o, i));
  if (op === undefined) {
    const rest = input.slice(i);
    const hint =
      rest === ''
        ? 'write <path> <operator> <number>, e.g. flows.ePrescription.successRate > 0.99'
        : rest.startsWith('=>')
          ? 'write >= (greater than or equal)'
          : rest.startsWith('=<')
            ? 'write <= (less than or equal)'
            : rest.startsWith('=')
              ? 'write == to compare for equality'
              : undefined;
    return after(i, rest === '' ? 'no operator' : `unexpected "${rest[0]}"`, OPS, hint);
  }
  i += op.length;
  while (input[i] === ' ' || input[i] === '\t') i += 1;
  NUMBER.lastIndex = i;
  const n = NUMBER.exec(input);
  if (n === null) {
    const rest = input.slice(i);
    const hint = /^[A-Za-z_]/.test(rest) ? 'compare with a number; a threshold cannot compare two metrics' : /^[<>=!]/.test(rest) ? 'operators are < <= > >= == !=' : undefined;
    return after(i, rest === '' ? 'no number after the operator' : `unexpected "${rest[0]}"`, 'a number', hint);
  }
  i += n[0].length;
  while (input[i] === ' ' || input[i] === '\t') i += 1;
  if (i < input.length) {
    const rest = input.slice(i);
    const hint = /^(ms|s|min|m|h|d|%)(?![A-Za-z])/.test(rest)
      ? 'numbers carry no unit: latency in ms (5000, not 5s), rates as fractions (0.99, not 99%)'
      : /^(&&|\|\||and\b|or\b|,)/.test(rest)
        ? 'one condition per threshold: write several thresholds instead'
        : undefined;
    return after(i, `unexpected "${rest[0]}" after the number`, 'the end of the threshold', hint);
  }
  return { segments, pathEnd, op, value: Number(n[0]) };
}
