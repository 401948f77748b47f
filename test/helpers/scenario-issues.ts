// The formatted issues (file:line:column: path: message) a scenario is rejected with; [] when it loads.
import { formatIssue, loadScenario, loadScenarioText, ScenarioError, type LoadOptions } from '../../scenarios/load.ts';

export function issuesOfText(text: string, options?: LoadOptions): string[] {
  return issues(() => loadScenarioText(text, 'x.yaml', options));
}

export function issuesOfFile(path: string): string[] {
  return issues(() => loadScenario(path));
}

function issues(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues.map(formatIssue);
    throw e;
  }
  return [];
}
