/**
 * `thresholds:` -> the list of threshold expressions, trimmed, in order. Only
 * their form is checked here, `<report path> <op> <number>` with op one of
 * `< <= > >= == !=`, by the same reader reports/ uses (threshold-syntax.ts;
 * whether the path names something the Report has is checked where thresholds
 * are evaluated, in reports/). A malformed one is reported at the exact
 * character within the string, like a distribution.
 */
import { isScalar, Scalar } from 'yaml';
import type { Context } from './context.ts';
import { isNull, type Entry, type Reader, type Value } from './reader.ts';
import { scanThreshold, THRESHOLD_EXAMPLE as EXAMPLE } from '../threshold-syntax.ts';

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

/** One expression, trimmed, or undefined after reporting where its form breaks. */
function threshold(r: Reader, node: Value, path: string): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    r.wrongType(node, path, `a threshold \`<report path> <operator> <number>\` such as \`${EXAMPLE}\``);
    return undefined;
  }
  const raw = node.value;
  const expression = raw.trim();
  const p = scanThreshold(expression).problem;
  if (p === undefined) return expression;
  // The column points into the string: past its opening quote and leading blanks.
  const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  const lead = raw.length - raw.trimStart().length;
  r.report(node, path, `bad threshold "${expression}"`, { expected: p.expected, hint: p.hint, offset: quote + lead + p.offset });
  return undefined;
}
