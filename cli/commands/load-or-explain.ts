/**
 * Loads a scenario for a command, turning a ScenarioError into its issue
 * lines on stderr (one per problem, all at once) and the invalid exit code.
 */
import { loadScenario, ScenarioError, formatIssue } from '../../scenarios/load.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';

export function loadOrExplain(file: string, sets: readonly string[], io: Io): ScenarioSpec | number {
  try {
    return loadScenario(file, { sets });
  } catch (err) {
    if (err instanceof ScenarioError) {
      for (const issue of err.issues) io.err(formatIssue(issue) + '\n');
      io.err(`${err.issues.length} problem${err.issues.length === 1 ? '' : 's'} in ${file}; nothing was run.\n`);
      return EXIT.invalid;
    }
    throw err;
  }
}
