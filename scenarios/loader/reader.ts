/**
 * Typed reading of YAML nodes that never throws: each reader returns the value
 * or undefined and records an issue (position, path, what was expected, a
 * hint). Callers fall back to defaults and carry on, so one pass finds every
 * problem. Mappings are read against their known keys: unknown keys, duplicate
 * keys and missing required keys are issues too.
 */
import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { closest, DistributionError, parseDistribution, parseDuration, type Dimension, type Distribution } from '../../engine/index.ts';
import type { ScenarioIssue } from './issues.ts';
import type { Locator } from './locate.ts';

/** A value as it sits in the tree: a node, or null for a key written without a value in `{ }`. */
export type Value = Node | null;

export interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Value;
  readonly path: string;
}

export interface IssueDetail {
  readonly expected?: string | undefined;
  readonly hint?: string | undefined;
  /** Characters into the node's text (for a problem inside a distribution string). */
  readonly offset?: number;
}

export function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function item(path: string, index: number): string {
  return `${path}[${index}]`;
}

export class Reader {
  readonly issues: ScenarioIssue[] = [];
  /** Stand-ins for values already reported (an unknown alias): no second issue about them. */
  private readonly reported = new WeakSet<object>();
  constructor(
    private readonly doc: Document,
    readonly locator: Locator,
  ) {}

  /** Records a problem at `node` (or at the start of the document). */
  report(node: Value | undefined, path: string, message: string, detail: IssueDetail = {}): void {
    if (node && this.reported.has(node)) return;
    const at = this.locator.at(node, detail.offset ?? 0);
    const issue: { -readonly [K in keyof ScenarioIssue]: ScenarioIssue[K] } = { ...at, path, message };
    if (detail.expected !== undefined) issue.expected = detail.expected;
    if (detail.hint !== undefined) issue.hint = detail.hint;
    this.issues.push(issue);
  }

  /** `line N` of a node, for messages that point at a second place. */
  where(node: Value): string {
    const p = this.locator.at(node);
    return p.file === this.locator.main.file ? `line ${p.line}` : `${p.file} column ${p.column}`;
  }

  /** Follows an alias (`*name`) to its anchor; an unknown alias is reported. */
  deref(node: Value, path: string): Value {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    if (target === undefined) {
      this.report(node, path, `unknown alias \`*${node.source}\``, { hint: `define \`&${node.source}\` before using it` });
      const stand = new Scalar(null);
      stand.range = node.range ?? null;
      this.locator.sameOrigin(stand, node);
      this.reported.add(stand);
      return stand;
    }
    return target;
  }

  /** The pairs of a mapping in order, duplicates reported and dropped. null (no value) reads as empty. */
  entries(raw: Value, path: string, what = 'a mapping of keys'): Entry[] | undefined {
    return this.pairsOf(this.deref(raw, path), path, what);
  }

  /**
   * A mapping with a fixed set of keys: unknown ones are reported (with a
   * did-you-mean), missing required ones are reported at the mapping.
   */
  fields(raw: Value, path: string, known: readonly string[], required: readonly string[] = []): Map<string, Entry> | undefined {
    const node = this.deref(raw, path);
    const list = this.pairsOf(node, path, 'a mapping of keys');
    if (list === undefined) return undefined;
    const out = new Map<string, Entry>();
    for (const e of list) {
      if (known.includes(e.key)) {
        out.set(e.key, e);
        continue;
      }
      const near = closest(e.key, known);
      this.report(e.keyNode, e.path, 'unknown key', {
        hint: near !== undefined ? `did you mean \`${near}\`?` : `known keys here: ${known.join(', ')}`,
      });
    }
    for (const k of required) {
      if (!out.has(k)) this.report(node, child(path, k), 'missing required key', { hint: `add \`${k}: ...\`` });
    }
    return out;
  }

  private pairsOf(node: Value, path: string, what: string): Entry[] | undefined {
    if (isNull(node)) return [];
    if (!isMap(node)) {
      this.wrongType(node, path, what);
      return undefined;
    }
    const out: Entry[] = [];
    const first = new Map<string, Node>();
    for (const pair of (node as YAMLMap).items) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.report(keyNode ?? node, path, 'a key must be a plain word', { hint: 'write `key: value`' });
        continue;
      }
      const key = String(keyNode.value);
      const p = child(path, key);
      const before = first.get(key);
      if (before !== undefined) {
        this.report(keyNode, p, `duplicate key \`${key}\` (first at ${this.where(before)})`, { hint: 'each key may appear once; remove one' });
        continue;
      }
      first.set(key, keyNode);
      out.push({ key, keyNode, value: this.deref(this.valueOf(pair.value as Value, keyNode), p), path: p });
    }
    return out;
  }

  /** `{ key }` (no colon) has no value node at all: stand in an empty one right after the key. */
  private valueOf(value: Value, keyNode: Node): Value {
    if (value !== null) return value;
    const end = keyNode.range?.[1] ?? 0;
    const empty = new Scalar(null);
    empty.range = [end, end, end];
    this.locator.sameOrigin(empty, keyNode);
    return empty;
  }

  /** The items of a list. */
  list(raw: Value, path: string, what = 'a list of items (`- ...`)'): { node: Value; path: string }[] | undefined {
    const node = this.deref(raw, path);
    if (!isSeq(node)) {
      this.wrongType(node, path, what);
      return undefined;
    }
    return (node as YAMLSeq).items.map((n, i) => ({ node: this.deref(n as Value, item(path, i)), path: item(path, i) }));
  }

  text(node: Value, path: string, what = 'a text'): string | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
    this.wrongType(node, path, what);
    return undefined;
  }

  boolean(node: Value, path: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    const hint = isScalar(node) && typeof node.value === 'string' && /^(yes|no|on|off|y|n)$/i.test(node.value) ? 'write true or false' : undefined;
    this.wrongType(node, path, 'true or false', hint);
    return undefined;
  }

  /** A finite number within bounds. */
  number(node: Value, path: string, bounds: { min?: number; minExclusive?: boolean; max?: number } = {}, what?: string): number | undefined {
    const expected = what ?? describeBounds('a number', bounds);
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
      this.wrongType(node, path, expected);
      return undefined;
    }
    const v = node.value;
    const { min, max, minExclusive } = bounds;
    const tooLow = min !== undefined && (minExclusive ? v <= min : v < min);
    const tooHigh = max !== undefined && v > max;
    if (tooLow || tooHigh) {
      this.report(node, path, `${sourceOf(node)} is out of range`, { expected });
      return undefined;
    }
    return v;
  }

  integer(node: Value, path: string, min: number): number | undefined {
    const expected = `a whole number >= ${min}`;
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) && !Number.isInteger(node.value)) {
      this.report(node, path, `${sourceOf(node)} is not a whole number`, { expected, hint: `write ${Math.max(min, Math.round(node.value))}` });
      return undefined;
    }
    const v = this.number(node, path, { min }, expected);
    if (v !== undefined && !Number.isSafeInteger(v)) {
      this.report(node, path, `${v} is too large`, { expected: `a whole number below 2^53` });
      return undefined;
    }
    return v;
  }

  probability(node: Value, path: string): number | undefined {
    const expected = 'a probability from 0 to 1';
    if (isScalar(node) && typeof node.value === 'number' && (node.value < 0 || node.value > 1)) {
      const v = node.value;
      const hint = v > 1 && v <= 100 ? `a share is a fraction: for ${v} %, write ${+(v / 100).toPrecision(12)}` : undefined;
      this.report(node, path, `${sourceOf(node)} is not a probability`, { expected, hint });
      return undefined;
    }
    return this.number(node, path, { min: 0, max: 1 }, expected);
  }

  /** A single duration such as `180s`, in ms; `positive` refuses 0. */
  duration(node: Value, path: string, positive: boolean): number | undefined {
    const s = this.notation(node, path, 'a duration with a unit, such as 180s, 6h or 14d');
    if (s === undefined) return undefined;
    try {
      const ms = parseDuration(s);
      if (positive && ms === 0) {
        this.report(node, path, `the duration ${s} is zero`, { expected: 'a duration > 0' });
        return undefined;
      }
      return ms;
    } catch (e) {
      if (!(e instanceof DistributionError)) throw e;
      this.distributionError(node, path, 'duration', e);
      return undefined;
    }
  }

  /** A distribution in the compact notation; durations come back in ms. */
  distribution(node: Value, path: string, dimension: Dimension): Distribution | undefined {
    const example = dimension === 'duration' ? 'a distribution such as lognormal(410ms, 0.25), exp(2h) or 5s' : 'a distribution such as triangular(18, 45, 90) or 40';
    const s = this.notation(node, path, example);
    if (s === undefined) return undefined;
    try {
      return parseDistribution(s, dimension);
    } catch (e) {
      if (!(e instanceof DistributionError)) throw e;
      this.distributionError(node, path, 'distribution', e);
      return undefined;
    }
  }

  /** One of a fixed set of words, with a did-you-mean. */
  oneOf<T extends string>(node: Value, path: string, options: readonly T[]): T | undefined {
    const expected = `one of ${options.join(', ')}`;
    if (isScalar(node) && typeof node.value === 'string') {
      const v = node.value;
      const found = options.find((o) => o === v);
      if (found !== undefined) return found;
      const near = closest(v, options);
      this.report(node, path, `unknown value \`${v}\``, { expected, hint: near === undefined ? undefined : `did you mean \`${near}\`?` });
      return undefined;
    }
    this.wrongType(node, path, expected);
    return undefined;
  }

  wrongType(node: Value, path: string, expected: string, hint?: string): void {
    let h = hint;
    if (h === undefined && isScalar(node) && typeof node.value === 'string' && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE)) {
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(node.value) || /^(true|false)$/.test(node.value)) h = 'remove the quotes';
    }
    this.report(node, path, `got ${describe(node)}`, { expected, hint: h });
  }

  /** The text of a scalar written in the compact notation (a bare number counts: `age: 40`). */
  private notation(node: Value, path: string, expected: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    if (isScalar(node) && typeof node.value === 'number') return node.source ?? String(node.value);
    this.wrongType(node, path, expected);
    return undefined;
  }

  private distributionError(node: Value, path: string, what: string, e: DistributionError): void {
    const quoted = isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
    this.report(node, path, `bad ${what} "${e.input}"`, { expected: e.expected, hint: e.hint, offset: e.offset + (quoted ? 1 : 0) });
  }
}

export function isNull(node: Value | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** What a node is, for "got ..." messages. */
export function describe(node: Value | undefined): string {
  if (isNull(node)) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 37)}...` : v}"`;
    if (typeof v === 'number') return `the number ${sourceOf(node)}`;
    if (typeof v === 'boolean') return `${v}`;
  }
  return 'something else';
}

function sourceOf(node: Scalar): string {
  return node.source ?? String(node.value);
}

function describeBounds(what: string, b: { min?: number; minExclusive?: boolean; max?: number }): string {
  if (b.min !== undefined && b.max !== undefined) return `${what} from ${b.min} to ${b.max}`;
  if (b.min !== undefined) return `${what} ${b.minExclusive ? '>' : '>='} ${b.min}`;
  if (b.max !== undefined) return `${what} <= ${b.max}`;
  return what;
}
