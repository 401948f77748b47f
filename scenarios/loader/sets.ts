/**
 * `--set key.path=value` overrides, grafted into the YAML tree before it is
 * read, so a set value is checked exactly like one written in the file. Paths
 * are keys joined by `.` with `[n]` for list items; missing mappings on the way
 * are created, lists never are; `network.links.EE-FI` also finds `FI-EE`. A
 * value is YAML (`3`, `true`, `7d`, `{ asA: true }`); anything that is not a
 * `{...}`/`[...]` collection is taken as a scalar. Nodes from a set are located
 * in the set string (file `--set`).
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, type Document, type Node } from 'yaml';
import type { ScenarioIssue } from './issues.ts';
import { singleLine, type Locator, type Origin } from './locate.ts';
import { isNull } from './reader.ts';
import { parseYaml } from './source.ts';

export const SET_FILE = '--set';

type Step = { readonly kind: 'key'; readonly key: string; readonly start: number; readonly end: number } | { readonly kind: 'index'; readonly index: number; readonly start: number; readonly end: number };

interface Parsed {
  readonly steps: readonly Step[];
  readonly path: string;
  readonly valueAt: number;
  readonly value: string;
}

/** Applies the sets in order to `doc` (when given; else only checks their syntax). Returns the problems. */
export function applySets(doc: Document | undefined, sets: readonly string[], locator: Locator): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const set of sets) {
    const fail = (column: number, path: string, message: string, expected?: string, hint?: string): void => {
      const issue: ScenarioIssue = { file: SET_FILE, line: 1, column: column + 1, path, message, ...(expected === undefined ? {} : { expected }), ...(hint === undefined ? {} : { hint }) };
      issues.push(issue);
    };
    const parsed = parseSet(set, fail);
    if (parsed === undefined) continue;
    const flow = /^\s*[[{]/.test(parsed.value);
    const value = parseYaml(parsed.value, SET_FILE, parsed.valueAt);
    if (flow && value.issues.length > 0) {
      for (const i of value.issues) issues.push({ ...i, path: parsed.path });
      continue;
    }
    if (doc === undefined) continue;
    let node = value.doc.contents as Node | null;
    if (!flow && (value.issues.length > 0 || node === null || !isScalar(node))) {
      // `description=Note: this` is text, not a mapping; an empty value is null.
      const text = new Scalar(parsed.value.trim() === '' ? null : parsed.value);
      text.range = [0, parsed.value.length, parsed.value.length];
      node = text;
    }
    if (node === null) continue;
    locator.adopt(node, value.origin);
    graft(doc, parsed, node, locator, fail);
  }
  return issues;
}

/** Links are symmetric: `network.links.EE-FI` reaches a link written `FI-EE`. */
function sameLink(walked: string, a: string, b: string): boolean {
  if (walked !== 'network.links') return false;
  const [x, y, ...rest] = b.split('-');
  return rest.length === 0 && x !== undefined && y !== undefined && a === `${y}-${x}`;
}

function parseSet(set: string, fail: (column: number, path: string, message: string, expected?: string, hint?: string) => void): Parsed | undefined {
  const form = '`key.path=value`, such as `replications=3` or `population[0].count=100`';
  const eq = set.indexOf('=');
  if (eq < 0) {
    fail(set.length, '', `\`${set}\` has no \`=\``, form);
    return undefined;
  }
  const path = set.slice(0, eq);
  const steps: Step[] = [];
  let i = 0;
  const key = (): boolean => {
    const m = /^[^.[\]\s=]+/.exec(path.slice(i));
    if (m === null) {
      fail(i, path, i === 0 && path.length === 0 ? 'no key before `=`' : 'a key name is missing here', form);
      return false;
    }
    steps.push({ kind: 'key', key: m[0], start: i, end: i + m[0].length });
    i += m[0].length;
    return true;
  };
  if (!key()) return undefined;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      if (!key()) return undefined;
    } else if (c === '[') {
      const m = /^\[(\d+)\]/.exec(path.slice(i));
      if (m === null) {
        fail(i, path, 'a list index is malformed', 'a whole number in brackets, such as `[0]`');
        return undefined;
      }
      steps.push({ kind: 'index', index: Number(m[1]), start: i, end: i + m[0].length });
      i += m[0].length;
    } else {
      fail(i, path, `unexpected \`${c}\` in the key path`, form);
      return undefined;
    }
  }
  return { steps, path, valueAt: eq + 1, value: set.slice(eq + 1) };
}

/** Walks the path, creating mappings where keys are missing, and puts `value` at its end. */
function graft(doc: Document, set: Parsed, value: Node, locator: Locator, fail: (column: number, path: string, message: string, expected?: string, hint?: string) => void): void {
  const here: Origin = { file: SET_FILE, lines: singleLine(), columnShift: 0 };
  const made = <T extends Node>(node: T, step: Step): T => {
    node.range = [step.start, step.end, step.end];
    locator.adopt(node, here);
    return node;
  };
  if (isNull(doc.contents as Node | null)) doc.contents = made(new YAMLMap(), set.steps[0]!);
  let container = doc.contents as Node;
  let walked = '';
  for (let s = 0; s < set.steps.length; s++) {
    const step = set.steps[s]!;
    const last = s === set.steps.length - 1;
    const next = set.steps[s + 1];
    const stepPath = step.kind === 'key' ? (walked === '' ? step.key : `${walked}.${step.key}`) : `${walked}[${step.index}]`;
    let child: Node | null;
    if (step.kind === 'key') {
      if (!isMap(container)) {
        fail(step.start, set.path, `\`${walked || 'the scenario'}\` is not a mapping, so it has no key \`${step.key}\``, undefined, isSeq(container) ? `pick an item first: \`${walked}[0].${step.key}\`` : undefined);
        return;
      }
      let pair = container.items.find((p) => isScalar(p.key) && String(p.key.value) === step.key) ?? container.items.find((p) => isScalar(p.key) && sameLink(walked, String(p.key.value), step.key));
      if (pair === undefined) {
        pair = new Pair(made(new Scalar(step.key), step), null);
        container.items.push(pair);
      }
      if (last) {
        pair.value = value;
        return;
      }
      child = pair.value as Node | null;
      if (isNull(child) && next?.kind === 'key') {
        child = made(new YAMLMap(), next);
        pair.value = child;
      }
    } else {
      if (!isSeq(container)) {
        fail(step.start, set.path, `\`${walked}\` is not a list, so it has no item [${step.index}]`);
        return;
      }
      const n = container.items.length;
      if (step.index >= n) {
        fail(step.start, set.path, `\`${walked}\` has ${n} item${n === 1 ? '' : 's'}, so there is no [${step.index}]`, n === 0 ? undefined : `an index from 0 to ${n - 1}`, 'a set changes items; it cannot add them');
        return;
      }
      if (last) {
        container.items[step.index] = value;
        return;
      }
      child = container.items[step.index] as Node | null;
      if (isNull(child) && next?.kind === 'key') {
        child = made(new YAMLMap(), next);
        container.items[step.index] = child;
      }
    }
    if (!isMap(child) && !isSeq(child)) {
      const what = isNull(child) ? 'nothing' : isScalar(child) ? `the value ${String(child.value)}` : 'an alias';
      const nextStep = set.steps[s + 1]!;
      fail(nextStep.start, set.path, `\`${stepPath}\` holds ${what}, so there is nothing inside it to set`, undefined, `set \`${stepPath}=...\` itself`);
      return;
    }
    container = child;
    walked = stepPath;
  }
}
