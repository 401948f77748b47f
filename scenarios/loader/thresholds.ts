/**
 * `thresholds:` -> the list of threshold expressions, trimmed, in order. Only
 * their form is checked here, `<report path> <op> <number>` with op one of
 * `< <= > >= == !=` (whether the path names something the Report has is
 * checked where thresholds are evaluated, in reports/). A malformed one is
 * reported at the exact character within the string, like a distribution.
 */
import { isScalar, Scalar } from 'yaml';
import type { Context } from './context.ts';
import { isNull, type Entry, type Reader, type Value } from './reader.ts';

const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
const SEGMENT = /[A-Za-z0-9_-]+/y;
const NUMBER = /-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/y;
const EXAMPLE = 'flows.ePrescription.latencyMs.p95 < 5000';
const OPS = 'one of < <= > >= == !=';

export function readThresholds(ctx: Context, e: Entry | undefined): string[] {
  if (e === undefined || isNull(e.value)) return [];
  const items = ctx.r.list(e.value, e.path, `a list of thresholds, such as \`- ${EXAMPLE}\``);
  if (items === undefined) return [];
  const out: string[] = [];
  for (const it of items) {
    const t = threshold(ctx.r, it.node, it.path);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** One expression, or undefined after reporting where its form breaks. */
function threshold(r: Reader, node: Value, path: string): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    r.wrongType(node, path, `a threshold \`<report path> <operator> <number>\` such as \`${EXAMPLE}\``);
    return undefined;
  }
  const s = node.value;
  const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  const fail = (at: number, expected: string, hint?: string): undefined => {
    r.report(node, path, `bad threshold "${s.trim()}"`, { expected, hint, offset: at + quote });
    return undefined;
  };
  let i = 0;
  const spaces = (): void => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  spaces();
  // The path: segments joined by single dots.
  for (let first = true; ; first = false) {
    SEGMENT.lastIndex = i;
    const m = SEGMENT.exec(s);
    if (m === null) {
      return first
        ? fail(i, 'a report path such as flows.ePrescription.latencyMs.p95', `write <path> <operator> <number>, e.g. ${EXAMPLE}`)
        : fail(i, 'a path segment (letters, digits, _ or -)', s[i] === undefined || s[i] === ' ' ? 'the path ends with "."' : undefined);
    }
    i += m[0].length;
    if (s[i] !== '.') break;
    i++;
  }
  if (s[i] === '(') return fail(i, 'a "." or an operator', "k6's p(95) is written as a path here: latencyMs.p95");
  spaces();
  if (s.startsWith('<>', i)) return fail(i, OPS, 'write != (not equal)');
  const op = OPERATORS.find((o) => s.startsWith(o, i));
  if (op === undefined) {
    const rest = s.slice(i);
    const hint =
      rest === ''
        ? `write <path> <operator> <number>, e.g. ${EXAMPLE}`
        : rest.startsWith('=>')
          ? 'write >= (greater than or equal)'
          : rest.startsWith('=<')
            ? 'write <= (less than or equal)'
            : rest.startsWith('=')
              ? 'write == to compare for equality'
              : undefined;
    return fail(i, OPS, hint);
  }
  i += op.length;
  spaces();
  NUMBER.lastIndex = i;
  const n = NUMBER.exec(s);
  if (n === null) {
    const rest = s.slice(i);
    const hint = /^[A-Za-z_]/.test(rest) ? 'compare with a number; a threshold cannot compare two metrics' : /^[<>=!]/.test(rest) ? 'operators are < <= > >= == !=' : undefined;
    return fail(i, 'a number', hint);
  }
  i += n[0].length;
  spaces();
  if (i < s.length) {
    const rest = s.slice(i);
    const hint = /^(ms|s|min|m|h|d|%)/.test(rest)
      ? 'numbers carry no unit: latency in ms (5000, not 5s), rates as fractions (0.99, not 99%)'
      : /^(&&|\|\||and\b|or\b|,)/.test(rest)
        ? 'one condition per threshold: write several thresholds instead'
        : undefined;
    return fail(i, 'the end of the threshold', hint);
  }
  return s.trim();
}
