/**
 * The top of a scenario: reads every section into a ScenarioSpec (not yet
 * frozen or key-sorted). Always returns a spec; when the Reader holds issues
 * the spec is made of placeholders and must be thrown away. The start date is
 * read first because the reference facts are taken as of it; countries are
 * read before faults, whose targets must name their nodes.
 */
import { isMap } from 'yaml';
import type { ScenarioSpec } from '../spec.ts';
import type { ReferenceData } from '../reference/types.ts';
import { DEFAULT_REPLICATIONS, DEFAULT_SEED, DEFAULT_START_DATE } from '../defaults.ts';
import { readAdapters } from './adapters.ts';
import type { Context } from './context.ts';
import { countryEntries, readCountries } from './countries.ts';
import { readFaults } from './faults.ts';
import { readNetwork } from './network.ts';
import { readPolicies, readProtocol } from './policies.ts';
import { readPopulation } from './population.ts';
import { describe, isNull, type Entry, type Reader, type Value } from './reader.ts';
import { readThresholds } from './thresholds.ts';

const TOP_KEYS = ['name', 'description', 'seed', 'duration', 'replications', 'start', 'countries', 'network', 'population', 'protocol', 'policies', 'faults', 'thresholds', 'adapters'];
const REQUIRED = ['name', 'description', 'duration', 'countries', 'population'];

export function readScenario(r: Reader, root: Value, ref: ReferenceData, source: string): ScenarioSpec {
  let f = new Map<string, Entry>();
  if (isMap(root)) {
    f = r.fields(root, '', TOP_KEYS, REQUIRED) ?? f;
  } else {
    r.report(root, '', isNull(root) ? 'the scenario is empty' : `a scenario is a mapping of keys, not ${describe(root)}`, {
      expected: `at least ${REQUIRED.map((k) => `\`${k}:\``).join(', ')}`,
      hint: 'see scenarios/README.md for an example',
    });
  }
  const get = (k: string): Entry | undefined => f.get(k);
  const start = get('start');
  const dur = get('duration');
  const countries = countryEntries({ r }, get('countries')?.value ?? null);
  const ctx: Context = {
    r,
    ref,
    startDate: (start && readDate(r, start.value, start.path)) ?? DEFAULT_START_DATE,
    durationMs: (dur && r.duration(dur.value, dur.path, true)) ?? 0,
    declared: new Set(countries.map((c) => c.key)),
  };
  const name = get('name');
  const description = get('description');
  const seed = get('seed');
  const reps = get('replications');
  const countrySpecs = readCountries(ctx, countries);
  const adapters = readAdapters(ctx, get('adapters'), countrySpecs);
  return {
    name: (name && readName(r, name.value, name.path)) ?? '',
    description: (description && r.text(description.value, description.path, 'a text saying what the scenario asks')) ?? '',
    source,
    seed: (seed && r.integer(seed.value, seed.path, 0)) ?? DEFAULT_SEED,
    durationMs: ctx.durationMs,
    replications: (reps && r.integer(reps.value, reps.path, 1)) ?? DEFAULT_REPLICATIONS,
    startDate: ctx.startDate,
    countries: countrySpecs,
    network: readNetwork(ctx, get('network')),
    population: readPopulation(ctx, get('population')),
    protocol: readProtocol(ctx, get('protocol')),
    policies: readPolicies(ctx, get('policies')),
    faults: readFaults(ctx, get('faults'), countrySpecs),
    thresholds: readThresholds(ctx, get('thresholds')),
    ...(adapters === undefined ? {} : { adapters }),
    reference: {
      countries: Object.fromEntries(countries.filter((c) => Object.hasOwn(ref.countries, c.key)).map((c) => [c.key, ref.countries[c.key]!])),
      catalogue: ref.catalogue,
    },
  };
}

function readName(r: Reader, node: Value, path: string): string | undefined {
  const name = r.text(node, path, 'a kebab-case name such as fi-ee-eprescription');
  if (name === undefined) return undefined;
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) return name;
  const kebab = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  r.report(node, path, `\`${name}\` is not kebab-case`, {
    expected: 'lowercase letters and digits in words joined by `-`',
    hint: kebab === '' ? undefined : `write \`${kebab}\``,
  });
  return undefined;
}

/** A calendar date YYYY-MM-DD (YAML 1.2 reads it as text). */
function readDate(r: Reader, node: Value, path: string): string | undefined {
  const expected = 'a date YYYY-MM-DD such as 2026-06-01';
  const s = r.text(node, path, expected);
  if (s === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) {
    const loose = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    const hint = loose ? `write ${loose[1]}-${loose[2]!.padStart(2, '0')}-${loose[3]!.padStart(2, '0')}` : undefined;
    r.report(node, path, `\`${s}\` is not a date`, { expected, hint });
    return undefined;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (days === undefined || d < 1 || d > days) {
    r.report(node, path, `\`${s}\` is not a day of the calendar`, { expected, hint: days === undefined ? 'months run 01 to 12' : `that month has ${days} days` });
    return undefined;
  }
  return s;
}
