/**
 * `population:` -> CohortSpecs, in the order written. A cohort names its home
 * (country A) and destination (country B) as one declared country or a
 * weighted mix; a cohort whose only home is its only destination crosses no
 * border and is refused. Shares are probabilities; fallbacks are relative
 * weights. Cohort names are unique. `iot:` (devices, connectivity) is read in
 * iot.ts; `revocations` is the share who withdraw consent during the stay.
 */
import { isScalar } from 'yaml';
import type { Distribution } from '../../engine/index.ts';
import { parseDistribution } from '../../engine/index.ts';
import type { CohortSpec, WeightedChoice } from '../spec.ts';
import {
  DEFAULT_AGE,
  DEFAULT_CONSENT,
  DEFAULT_EMERGENCY_PER_DAY,
  DEFAULT_FALLBACK,
  DEFAULT_REVOKE_SHARE,
  DEFAULT_FEMALE,
  DEFAULT_IDENTITY,
  DEFAULT_PREVALENCE_SCALE,
  DEFAULT_REFILL_SHARE,
  DEFAULT_STAY,
} from '../defaults.ts';
import { declaredCountry, type Context } from './context.ts';
import { ageDistribution, durationDistribution } from './distributions.ts';
import { readIot } from './iot.ts';
import { isNull, type Entry, type Value } from './reader.ts';
import { shares } from './shares.ts';

const COHORT_KEYS = [
  'name',
  'count',
  'home',
  'destination',
  'arrival',
  'stay',
  'age',
  'female',
  'prevalenceScale',
  'consent',
  'identity',
  'refills',
  'emergencies',
  'fallback',
  'iot',
  'revocations',
];
const REQUIRED = ['name', 'count', 'home', 'destination'];

export function readPopulation(ctx: Context, e: Entry | undefined): CohortSpec[] {
  if (e === undefined) return [];
  const items = ctx.r.list(e.value, e.path, 'a list of cohorts, each starting with `- `');
  if (items === undefined) return [];
  if (items.length === 0) {
    ctx.r.report(e.value, e.path, 'empty population', { expected: 'at least one cohort', hint: 'add `- { name: travellers, count: 100, home: FI, destination: EE }`' });
    return [];
  }
  const out: CohortSpec[] = [];
  const names = new Map<string, Value>();
  for (const it of items) {
    const cohort = readCohort(ctx, it.node, it.path);
    if (cohort === undefined) continue;
    const first = names.get(cohort.spec.name);
    if (first !== undefined) {
      ctx.r.report(cohort.nameNode, `${it.path}.name`, `duplicate cohort name \`${cohort.spec.name}\` (first at ${ctx.r.where(first)})`, { hint: 'give each cohort its own name' });
    } else {
      names.set(cohort.spec.name, cohort.nameNode);
    }
    out.push(cohort.spec);
  }
  return out;
}

function readCohort(ctx: Context, node: Value, path: string): { spec: CohortSpec; nameNode: Value } | undefined {
  const { r } = ctx;
  const f = r.fields(node, path, COHORT_KEYS, REQUIRED);
  if (f === undefined) return undefined;
  const get = (k: string): Entry | undefined => f.get(k);
  const name = get('name');
  const count = get('count');
  const prob = (k: string, fallback: number): number => {
    const x = get(k);
    return (x && r.probability(x.value, x.path)) ?? fallback;
  };
  const dist = (k: string, read: (v: Value, p: string) => Distribution | undefined, fallback: () => Distribution): Distribution => {
    const x = get(k);
    return (x && read(x.value, x.path)) ?? fallback();
  };
  const home = get('home');
  const dest = get('destination');
  const homeMix = home && readMix(ctx, home.value, home.path);
  const destMix = dest && readMix(ctx, dest.value, dest.path);
  if (dest && homeMix?.values.length === 1 && destMix?.values.length === 1 && homeMix.values[0] === destMix.values[0]) {
    r.report(dest.value, dest.path, 'home and destination are the same country: nobody crosses a border', { hint: 'a cohort travels from its home (country A) to a destination (country B)' });
  }
  const scale = get('prevalenceScale');
  const perDay = get('emergencies');
  const duration = ctx.durationMs;
  const spec: CohortSpec = {
    name: (name && r.text(name.value, name.path, 'a cohort name')) ?? '',
    count: (count && r.integer(count.value, count.path, 0)) ?? 0,
    home: homeMix ?? { values: [], weights: [] },
    destination: destMix ?? { values: [], weights: [] },
    arrival: dist('arrival', (v, p) => durationDistribution(r, v, p), () => ({ kind: 'uniform', min: 0, max: duration })),
    stay: dist('stay', (v, p) => durationDistribution(r, v, p), () => parseDistribution(DEFAULT_STAY, 'duration')),
    age: dist('age', (v, p) => ageDistribution(r, v, p), () => parseDistribution(DEFAULT_AGE, 'number')),
    female: prob('female', DEFAULT_FEMALE),
    prevalenceScale: (scale && r.number(scale.value, scale.path, { min: 0 })) ?? DEFAULT_PREVALENCE_SCALE,
    consent: consent(ctx, get('consent')),
    identity: shares(r, get('identity'), DEFAULT_IDENTITY, 'probability'),
    refillShare: prob('refills', DEFAULT_REFILL_SHARE),
    emergencyPerDay: (perDay && r.number(perDay.value, perDay.path, { min: 0 }, 'visits per day of stay, a number >= 0')) ?? DEFAULT_EMERGENCY_PER_DAY,
    fallback: shares(r, get('fallback'), DEFAULT_FALLBACK, 'weight'),
    iot: readIot(ctx, get('iot')),
    consentChanges: { revokeShare: prob('revocations', DEFAULT_REVOKE_SHARE) },
  };
  return { spec, nameNode: name?.value ?? node };
}

/** One number for every data category, or a partial mapping per category. */
function consent(ctx: Context, e: Entry | undefined): CohortSpec['consent'] {
  if (e !== undefined && isScalar(e.value) && !isNull(e.value)) {
    const p = ctx.r.probability(e.value, e.path);
    if (p === undefined) return DEFAULT_CONSENT;
    return { patientSummary: p, ePrescription: p };
  }
  return shares(ctx.r, e, DEFAULT_CONSENT, 'probability');
}

/** `FI`, or `{ FI: 0.7, SE: 0.3 }` (relative weights > 0, kept as given, sorted by code). */
function readMix(ctx: Context, node: Value, path: string): WeightedChoice | undefined {
  const { r } = ctx;
  if (isScalar(node) && typeof node.value === 'string') {
    return declaredCountry(ctx, node, path, node.value) ? { values: [node.value], weights: [1] } : undefined;
  }
  if (isNull(node) || isScalar(node)) {
    r.wrongType(node, path, 'a country code such as FI, or a mix such as { FI: 0.7, SE: 0.3 }');
    return undefined;
  }
  const list = r.entries(node, path, 'a country code such as FI, or a mix such as { FI: 0.7, SE: 0.3 }');
  if (list === undefined) return undefined;
  if (list.length === 0) {
    r.report(node, path, 'empty mix', { expected: 'at least one country with a weight, such as { FI: 0.7, SE: 0.3 }' });
    return undefined;
  }
  const pairs: [string, number][] = [];
  let ok = true;
  for (const x of list) {
    const known = declaredCountry(ctx, x.keyNode, x.path, x.key);
    const w = r.number(x.value, x.path, { min: 0, minExclusive: true }, 'a weight > 0');
    if (!known || w === undefined) ok = false;
    else pairs.push([x.key, w]);
  }
  if (!ok) return undefined;
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { values: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]) };
}
