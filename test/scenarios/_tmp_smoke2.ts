import { loadScenario, ScenarioError, formatIssue } from '/work/main/scenarios/load.ts';
try {
  const s = loadScenario(process.argv[2]!, { sets: process.argv.slice(3) });
  const { reference, countries, ...rest } = s;
  console.log(JSON.stringify(rest));
  console.log(Object.keys(reference.countries), JSON.stringify(Object.fromEntries(Object.entries(countries).map(([k, c]) => [k, c.services]))));
} catch (e) { if (e instanceof ScenarioError) console.log(e.issues.map(formatIssue).join('\n')); else throw e; }
