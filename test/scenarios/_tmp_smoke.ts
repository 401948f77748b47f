import { loadScenario, ScenarioError, formatIssue } from '/work/main/scenarios/load.ts';
try {
  const s = loadScenario(process.argv[2]!, { sets: process.argv.slice(3) });
  const { reference, ...rest } = s;
  console.log(JSON.stringify(rest, null, 1).slice(0, 6000));
  console.log(Object.keys(reference.countries));
} catch (e) { if (e instanceof ScenarioError) console.log(e.issues.map(formatIssue).join('\n')); else throw e; }
