/**
 * Reads YAML text into a document with positions. Syntax errors and warnings
 * become issues (the first per position; the rest of the loader only runs on a
 * clean parse). Duplicate keys are left to the reader, which reports them with
 * both positions. Distribution strings split by YAML's flow commas are rejoined
 * (see rejoinFlowCommas), so `{ x: lognormal(4min, 0.4) }` means what it says.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type YAMLError } from 'yaml';
import type { ScenarioIssue } from './issues.ts';
import { position, type Origin } from './locate.ts';

export interface ParsedSource {
  readonly doc: Document;
  readonly origin: Origin;
  /** YAML syntax problems; when there are any the tree is not trustworthy. */
  readonly issues: readonly ScenarioIssue[];
}

export function parseYaml(text: string, file: string, columnShift = 0): ParsedSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, version: '1.2' });
  const origin: Origin = { file, lines, columnShift };
  const issues: ScenarioIssue[] = [];
  const seen = new Set<string>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    const at = position(origin, e.pos[0]);
    const key = `${at.line}:${at.column}`;
    if (seen.has(key)) continue; // the library often reports one mistake twice at the same spot
    seen.add(key);
    issues.push({ ...at, path: '', ...describeYamlError(e) });
  }
  if (issues.length === 0) rejoinFlowCommas(doc.contents, text);
  return { doc, origin, issues };
}

function describeYamlError(e: YAMLError): { message: string; hint?: string } {
  const message = `YAML syntax: ${e.message}`;
  switch (e.code) {
    case 'TAB_AS_INDENT':
      return { message, hint: 'indent with spaces, never tabs' };
    case 'MULTIPLE_DOCS':
      return { message: 'YAML syntax: more than one document in the file (a second `---`)', hint: 'one scenario per file' };
    case 'MISSING_CHAR':
      return { message, hint: 'close the quote, bracket or brace that was opened, or add the missing `- `' };
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return { message, hint: 'check the indentation of this line and the next; quote a value that contains `: `' };
    case 'BAD_INDENT':
      return { message, hint: 'check the indentation; close `[` with `]` and `{` with `}` on the same level' };
    case 'TAG_RESOLVE_FAILED':
      return { message, hint: 'scenarios use no `!tags`; remove it' };
    default:
      return { message };
  }
}

/**
 * Inside `{ ... }` YAML ends a plain value at every comma, so
 * `{ t: lognormal(4min, 0.4) }` reads as `t: "lognormal(4min"` plus a stray key
 * `0.4)`. Where a plain value opens more parentheses than it closes and the
 * pairs that follow are bare keys (no `:`), this glues the source text back
 * together until the parentheses balance. Nothing else is touched.
 */
function rejoinFlowCommas(node: unknown, text: string): void {
  if (isSeq(node)) {
    for (const item of node.items) rejoinFlowCommas(item, text);
    return;
  }
  if (!isMap(node)) return;
  for (let i = 0; i < node.items.length; i++) {
    const pair = node.items[i];
    if (!isPair(pair)) continue;
    const value = pair.value;
    if (node.flow && isScalar(value) && value.type === Scalar.PLAIN && typeof value.value === 'string' && value.range && depth(value.value) > 0) {
      let j = i + 1;
      let end = value.range[1];
      let joined = value.value;
      while (depth(joined) > 0 && j < node.items.length) {
        const next = node.items[j];
        if (!isPair(next) || next.value !== null || !isScalar(next.key) || next.key.type !== Scalar.PLAIN || !next.key.range) break;
        end = next.key.range[1];
        joined = text.slice(value.range[0], end);
        j++;
      }
      if (depth(joined) === 0 && j > i + 1) {
        const glued = new Scalar(joined);
        glued.type = Scalar.PLAIN;
        glued.source = joined;
        glued.range = [value.range[0], end, end];
        pair.value = glued;
        node.items.splice(i + 1, j - i - 1);
      }
    }
    rejoinFlowCommas(pair.value, text);
  }
}

function depth(s: string): number {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')') d--;
  }
  return d;
}
