/**
 * `pitsim validate <scenario>`: load and check a scenario without running it.
 * Prints every problem (file:line:column, path, expected, hint) and exits 2,
 * or a one-line description of what the scenario would run.
 */
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { loadOrExplain } from './load-or-explain.ts';

export function validateCommand(file: string, sets: readonly string[], io: Io): number {
  const spec = loadOrExplain(file, sets, io);
  if (typeof spec === 'number') return spec;
  const patients = spec.population.reduce((s, c) => s + c.count, 0);
  const countries = Object.keys(spec.countries);
  io.out(`${file}: ok: ${spec.name}, ${countries.length} countries (${countries.join(' ')}), ${spec.population.length} cohorts, ${patients} patients, ${spec.replications} replications\n`);
  return EXIT.ok;
}
