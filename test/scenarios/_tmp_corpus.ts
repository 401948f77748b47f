import { readdirSync } from 'node:fs';
import { loadScenario, ScenarioError, formatIssue } from '/work/main/scenarios/load.ts';
for (const f of readdirSync('test/scenarios/malformed').sort()) {
  const p = `test/scenarios/malformed/${f}`;
  try { loadScenario(p); console.log(p, 'LOADED OK'); } catch (e) { if (e instanceof ScenarioError) console.log(e.issues.map(formatIssue).join('\n')); else throw e; }
  console.log('');
}
