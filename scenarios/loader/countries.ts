/**
 * `countries:` -> one CountrySpec per declared country. Each starts from the
 * defaults and the reference facts as of the scenario's start date (which
 * services it offers as A and as B, how it dispenses) and applies the
 * scenario's overrides on top. Unknown codes are reported with a did-you-mean.
 */
import { NCP_TRANSACTIONS, type CountrySpec, type NcpSpec, type NcpTransaction, type PointOfCareSpec, type ServiceRoles } from '../spec.ts';
import { offers } from '../reference/load.ts';
import { SERVICE_NAMES, VKAS, type CountryFacts, type DispensingRules, type ServiceName } from '../reference/types.ts';
import { parseDistribution } from '../../engine/index.ts';
import {
  DEFAULT_HOSPITALS,
  DEFAULT_NCP_CAPACITY,
  DEFAULT_NCP_SERVICE_TIME,
  DEFAULT_PHARMACIES,
  DEFAULT_TRANSCODING_ERROR_RATE,
  DEFAULT_TRANSLATION_MISSING_RATE,
  type PointOfCareDefaults,
} from '../defaults.ts';
import { knownCountry, type Context } from './context.ts';
import { durationDistribution } from './distributions.ts';
import { child, type Entry, type Value } from './reader.ts';

const COUNTRY_KEYS = ['ncp', 'pharmacies', 'hospitals', 'services', 'dispensing', 'transcodingErrorRate', 'translationMissingRate'];
const DISPENSING_KEYS = ['substitutionAllowed', 'vka', 'metamizoleAuthorised'] as const;

/** The keys written under `countries:` (even unknown ones, so they are reported once). */
export function countryEntries(ctx: Pick<Context, 'r'>, node: Value): Entry[] {
  const list = ctx.r.entries(node, 'countries', 'a mapping of country codes, such as `FI: {}`');
  if (list?.length === 0 && node !== null) {
    ctx.r.report(node, 'countries', 'no countries declared', { expected: 'at least one country, such as `FI: {}`' });
  }
  return list ?? [];
}

export function readCountries(ctx: Context, entries: readonly Entry[]): Record<string, CountrySpec> {
  const out: Record<string, CountrySpec> = {};
  for (const e of entries) {
    if (!knownCountry(ctx, e.keyNode, e.path, e.key)) continue;
    const facts = ctx.ref.countries[e.key];
    if (facts !== undefined) out[e.key] = readCountry(ctx, e, facts);
  }
  return out;
}

function readCountry(ctx: Context, e: Entry, facts: CountryFacts): CountrySpec {
  const { r } = ctx;
  const f = r.fields(e.value, e.path, COUNTRY_KEYS);
  const get = (k: string): Entry | undefined => f?.get(k);
  const rate = (k: string, fallback: number): number => {
    const x = get(k);
    return (x && r.probability(x.value, x.path)) ?? fallback;
  };
  return {
    code: facts.code,
    name: facts.name,
    ncp: readNcp(ctx, get('ncp'), child(e.path, 'ncp')),
    pharmacies: readPointOfCare(ctx, get('pharmacies'), DEFAULT_PHARMACIES),
    hospitals: readPointOfCare(ctx, get('hospitals'), DEFAULT_HOSPITALS),
    services: readServices(ctx, get('services'), facts),
    dispensing: readDispensing(ctx, get('dispensing'), facts.dispensing),
    transcodingErrorRate: rate('transcodingErrorRate', DEFAULT_TRANSCODING_ERROR_RATE),
    translationMissingRate: rate('translationMissingRate', DEFAULT_TRANSLATION_MISSING_RATE),
  };
}

function readNcp(ctx: Context, e: Entry | undefined, path: string): NcpSpec {
  const { r } = ctx;
  const f = e && r.fields(e.value, path, ['capacity', 'serviceTime']);
  const cap = f?.get('capacity');
  const capacity = (cap && r.integer(cap.value, cap.path, 1)) ?? DEFAULT_NCP_CAPACITY;
  const st = f?.get('serviceTime');
  const given = st && r.fields(st.value, st.path, NCP_TRANSACTIONS);
  const serviceTime = {} as Record<NcpTransaction, ReturnType<typeof parseDistribution>>;
  for (const t of NCP_TRANSACTIONS) {
    const x = given?.get(t);
    serviceTime[t] = (x && durationDistribution(r, x.value, x.path)) ?? parseDistribution(DEFAULT_NCP_SERVICE_TIME[t], 'duration');
  }
  return { capacity, serviceTime };
}

function readPointOfCare(ctx: Context, e: Entry | undefined, d: PointOfCareDefaults): PointOfCareSpec {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, ['count', 'staff', 'serviceTime']);
  const count = f?.get('count');
  const staff = f?.get('staff');
  const st = f?.get('serviceTime');
  return {
    count: (count && r.integer(count.value, count.path, 0)) ?? d.count,
    staff: (staff && r.integer(staff.value, staff.path, 1)) ?? d.staff,
    serviceTime: (st && durationDistribution(r, st.value, st.path)) ?? parseDistribution(d.serviceTime, 'duration'),
  };
}

/** Reference facts as of the start date, then `asA`/`asB` overrides. */
function readServices(ctx: Context, e: Entry | undefined, facts: CountryFacts): Record<ServiceName, ServiceRoles> {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, SERVICE_NAMES);
  const out = {} as Record<ServiceName, ServiceRoles>;
  for (const s of SERVICE_NAMES) {
    const x = f?.get(s);
    const roles = x && r.fields(x.value, x.path, ['asA', 'asB']);
    const flag = (k: 'asA' | 'asB', fallback: boolean): boolean => {
      const y = roles?.get(k);
      return (y && r.boolean(y.value, y.path)) ?? fallback;
    };
    out[s] = {
      asA: flag('asA', offers(facts, s, 'A', ctx.startDate)),
      asB: flag('asB', offers(facts, s, 'B', ctx.startDate)),
    };
  }
  return out;
}

/** Reference rules field by field; when the scenario overrides any, `source` says so. */
function readDispensing(ctx: Context, e: Entry | undefined, ref: DispensingRules): DispensingRules {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, DISPENSING_KEYS);
  const sub = f?.get('substitutionAllowed');
  const vka = f?.get('vka');
  const met = f?.get('metamizoleAuthorised');
  const overridden = DISPENSING_KEYS.filter((k) => f?.has(k));
  return {
    substitutionAllowed: (sub && r.boolean(sub.value, sub.path)) ?? ref.substitutionAllowed,
    vka: (vka && r.oneOf(vka.value, vka.path, VKAS)) ?? ref.vka,
    metamizoleAuthorised: (met && r.boolean(met.value, met.path)) ?? ref.metamizoleAuthorised,
    asOf: ref.asOf,
    source: overridden.length === 0 ? ref.source : `scenario override (${overridden.join(', ')}); otherwise ${ref.source}`,
  };
}
