/**
 * The world of one replication: the simulation, the scenario, the network and
 * every node built from the spec (ids `ncp.FR`, `pharmacy.FR.3`,
 * `hospital.FR.0`), and the recorders. Countries and nodes are created in
 * sorted order so node ids and iteration never depend on YAML order.
 */
import type { Simulation } from '../engine/index.ts';
import type { CountrySpec, ScenarioSpec } from '../scenarios/spec.ts';
import { Network } from './network.ts';
import { FlowRecorders, SecurityRecorder } from './recorders.ts';
import { ServiceNode } from './service-node.ts';

export interface CountryNodes {
  readonly spec: CountrySpec;
  readonly ncp: ServiceNode;
  readonly pharmacies: readonly ServiceNode[];
  readonly hospitals: readonly ServiceNode[];
}

export class World {
  readonly network: Network;
  readonly flows = new FlowRecorders();
  readonly security = new SecurityRecorder();
  private readonly countries = new Map<string, CountryNodes>();

  constructor(
    readonly sim: Simulation,
    readonly spec: ScenarioSpec,
  ) {
    this.network = new Network(spec.network);
    for (const code of Object.keys(spec.countries).sort()) {
      const c = spec.countries[code]!;
      const pharmacies = Array.from({ length: c.pharmacies.count }, (_, i) => new ServiceNode(`pharmacy.${code}.${i}`, 'pharmacy', code, sim, c.pharmacies.staff));
      const hospitals = Array.from({ length: c.hospitals.count }, (_, i) => new ServiceNode(`hospital.${code}.${i}`, 'hospital', code, sim, c.hospitals.staff));
      this.countries.set(code, { spec: c, ncp: new ServiceNode(`ncp.${code}`, 'ncp', code, sim, c.ncp.capacity), pharmacies, hospitals });
    }
  }

  country(code: string): CountryNodes {
    const c = this.countries.get(code);
    if (c === undefined) throw new Error(`country ${code} is not part of scenario ${this.spec.name}`);
    return c;
  }

  /** Every node, sorted by id. */
  nodes(): ServiceNode[] {
    const all: ServiceNode[] = [];
    for (const c of this.countries.values()) all.push(c.ncp, ...c.pharmacies, ...c.hospitals);
    return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
