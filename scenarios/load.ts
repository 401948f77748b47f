/**
 * The scenario loader: YAML text -> parse -> `--set` overrides -> validate ->
 * resolve against the reference data as of the start date -> a frozen,
 * key-sorted, JSON-serialisable ScenarioSpec. It never stops at the first
 * problem: a ScenarioError carries every issue, sorted by file, line, column.
 * The section readers live in loader/; every default is in defaults.ts.
 */
import { readFileSync } from 'node:fs';
import type { ScenarioSpec } from './spec.ts';
import { loadReferenceData } from './reference/load.ts';
import { ScenarioError, sortIssues, type ScenarioIssue } from './loader/issues.ts';
import { Locator } from './loader/locate.ts';
import { Reader } from './loader/reader.ts';
import { readScenario } from './loader/scenario.ts';
import { applySets } from './loader/sets.ts';
import { sortedFrozen } from './loader/freeze.ts';
import { parseYaml } from './loader/source.ts';

export { ScenarioError, formatIssue, type ScenarioIssue } from './loader/issues.ts';

export interface LoadOptions {
  /** `key.path=value` overrides, applied in order before validation. */
  readonly sets?: readonly string[];
  /** Folder of countries.yaml and catalogue.yaml (default: the shipped reference data). */
  readonly referenceDir?: string;
}

/** Reads and loads a scenario file; `file` is used as given in every message. */
export function loadScenario(file: string, options: LoadOptions = {}): ScenarioSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    throw new ScenarioError([{ file, line: 1, column: 1, path: '', message: `cannot read the scenario: ${why}`, hint: 'check the path' }]);
  }
  return loadScenarioText(text, file, options);
}

/** Loads scenario text; `source` names it in messages and in `spec.source`. */
export function loadScenarioText(text: string, source: string, options: LoadOptions = {}): ScenarioSpec {
  const parsed = parseYaml(text, source);
  const locator = new Locator(parsed.origin);
  const clean = parsed.issues.length === 0;
  const issues: ScenarioIssue[] = [...parsed.issues, ...applySets(clean ? parsed.doc : undefined, options.sets ?? [], locator)];
  if (!clean) throw new ScenarioError(sortIssues(issues));
  const reader = new Reader(parsed.doc, locator);
  const spec = readScenario(reader, parsed.doc.contents, loadReferenceData(options.referenceDir), source);
  issues.push(...reader.issues);
  if (issues.length > 0) throw new ScenarioError(sortIssues(issues));
  return sortedFrozen(spec);
}
