/**
 * Problems found in a scenario, and their one-line form. The loader collects
 * every issue before failing, so a ScenarioError carries all of them, sorted
 * by (file, line, column) with discovery order kept for ties. The line format
 * is a stable interface (tests and the CLI print it verbatim).
 */

export interface ScenarioIssue {
  /** The scenario file as given, or `--set` for a command-line override. */
  readonly file: string;
  /** 1-based. Always 1 for `--set`. */
  readonly line: number;
  /** 1-based. For `--set`, the column within the `key=value` string. */
  readonly column: number;
  /** Dotted path of the offending key, `population[0].arrival`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly hint?: string;
}

/** Thrown by the loader with every problem at once. `code` survives structured clone; the class does not. */
export class ScenarioError extends Error {
  readonly code = 'BAD_SCENARIO';
  readonly issues: readonly ScenarioIssue[];
  constructor(issues: readonly ScenarioIssue[]) {
    const n = issues.length;
    super(`${n} problem${n === 1 ? '' : 's'} in the scenario:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ScenarioError';
    this.issues = Object.freeze(issues.map((i) => Object.freeze({ ...i })));
  }
}

/**
 * `file:line:column: path: message (expected X); hint: Y`, on one line.
 * `path: ` is left out when the path is empty, `(expected X)` and `; hint: Y`
 * when there is nothing to say.
 */
export function formatIssue(i: ScenarioIssue): string {
  const path = i.path === '' ? '' : `${i.path}: `;
  const expected = i.expected === undefined ? '' : ` (expected ${i.expected})`;
  const hint = i.hint === undefined ? '' : `; hint: ${i.hint}`;
  return `${i.file}:${i.line}:${i.column}: ${path}${i.message}${expected}${hint}`;
}

/** Stable sort by (file, line, column); code-unit order for files so it never depends on locale. */
export function sortIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => {
      if (a.issue.file !== b.issue.file) return a.issue.file < b.issue.file ? -1 : 1;
      return a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.index - b.index;
    })
    .map((x) => x.issue);
}
