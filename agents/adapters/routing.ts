/**
 * Which real endpoint a flow reaches. A scenario binds node ids or patterns
 * (`ncp.FR`, `pharmacy.FR.*`) to FHIR endpoints; a flow is sent to the first
 * bound node on its path:
 *
 * - Patient Summary (hospital in B) and ePrescription (pharmacy in B): the
 *   point of care, then B's NCP (the national contact point the point of care
 *   talks to), then A's NCP (which holds the patient's data);
 * - IoT upload: A's NCP only (readings go from the phone in B straight to the
 *   home platform in A, never through B's NCP).
 *
 * A flow that reaches no bound node is not sent. When several patterns match
 * a node, an exact id wins, then the pattern with the fewest `*`, then the
 * first in key order. Endpoints are identified by URL: nodes bound to the
 * same URL share one connection pool (the first binding's connection options
 * win; `summary` stays the matched binding's own).
 */
import type { AdapterSpec } from '../../scenarios/adapter-spec.ts';
import type { CountrySpec } from '../../scenarios/spec.ts';
import type { Patient } from '../population/index.ts';

export type LoadFlowKind = 'patientSummary' | 'ePrescription' | 'iotUpload';

export interface Route {
  /** The node the flow reaches (`ncp.FR`). */
  readonly node: string;
  /** The binding that matched it, as written (`ncp.FR`, `pharmacy.FR.*`). */
  readonly binding: string;
  readonly adapter: AdapterSpec;
}

interface Binding {
  readonly key: string;
  readonly re: RegExp;
  readonly stars: number;
  readonly adapter: AdapterSpec;
}

export class Bindings {
  private readonly list: readonly Binding[];
  private readonly cache = new Map<string, Route | null>();

  constructor(adapters: Readonly<Record<string, AdapterSpec>>) {
    this.list = Object.keys(adapters)
      .sort()
      .map((key) => ({ key, re: globRegExp(key), stars: (key.match(/\*/g) ?? []).length, adapter: adapters[key]! }))
      .sort((a, b) => a.stars - b.stars);
  }

  get size(): number {
    return this.list.length;
  }

  /** The endpoints, one per distinct URL, in binding order. */
  endpoints(): AdapterSpec[] {
    const seen = new Map<string, AdapterSpec>();
    for (const b of this.list) if (!seen.has(b.adapter.url)) seen.set(b.adapter.url, b.adapter);
    return [...seen.values()];
  }

  /** The route of a node id, or undefined when it is not bound. */
  node(id: string): Route | undefined {
    let r = this.cache.get(id);
    if (r === undefined) {
      const b = this.list.find((x) => x.key === id) ?? this.list.find((x) => x.re.test(id));
      r = b === undefined ? null : { node: id, binding: b.key, adapter: b.adapter };
      this.cache.set(id, r);
    }
    return r ?? undefined;
  }

  /** The first bound node on the flow's path; `pointOfCare` is the site in B (null for IoT). */
  route(kind: LoadFlowKind, p: Patient, pointOfCare: string | null): Route | undefined {
    const path = kind === 'iotUpload' ? [`ncp.${p.home}`] : [...(pointOfCare === null ? [] : [pointOfCare]), `ncp.${p.destination}`, `ncp.${p.home}`];
    for (const id of path) {
      const r = this.node(id);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  /** URLs any of the patient's flows could reach (the gateways `--prepare` seeds them into). */
  gatewaysOf(p: Patient, countries: Readonly<Record<string, CountrySpec>>): Set<string> {
    const out = new Set<string>();
    const b = countries[p.destination];
    const ids = [`ncp.${p.destination}`, `ncp.${p.home}`];
    if (b !== undefined) {
      for (let i = 0; i < b.pharmacies.count; i++) ids.push(`pharmacy.${p.destination}.${i}`);
      for (let i = 0; i < b.hospitals.count; i++) ids.push(`hospital.${p.destination}.${i}`);
    }
    for (const id of ids) {
      const r = this.node(id);
      if (r !== undefined) out.add(r.adapter.url);
    }
    return out;
  }
}

function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')}$`);
}
