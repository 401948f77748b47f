/**
 * The network between nodes: one-way latency and loss per country pair (the
 * scenario's default where no link is given) and the national network between
 * a point of care and its own NCP. Draws come from the caller's stream, so a
 * patient's journey owns its randomness.
 */
import { sampleDuration, type RandomStream } from '../engine/index.ts';
import { linkKey, type LinkSpec, type NetworkSpec } from '../scenarios/spec.ts';
import { LinkHealth } from './faults/health.ts';

export class Network {
  private readonly healthByPair = new Map<string, LinkHealth>();

  constructor(private readonly spec: NetworkSpec) {}

  /** Fault state of a country pair (symmetric); created on first use. */
  health(a: string, b: string): LinkHealth {
    const key = linkKey(a, b);
    let h = this.healthByPair.get(key);
    if (h === undefined) {
      h = new LinkHealth();
      this.healthByPair.set(key, h);
    }
    return h;
  }

  /** Fault state if any fault ever touched the pair, else null (no allocation on the hot path). */
  healthIfAny(a: string, b: string): LinkHealth | null {
    return this.healthByPair.size === 0 ? null : (this.healthByPair.get(linkKey(a, b)) ?? null);
  }

  link(from: string, to: string): LinkSpec {
    if (from === to) return this.spec.national;
    return this.spec.links[linkKey(from, to)] ?? this.spec.default;
  }

  national(): LinkSpec {
    return this.spec.national;
  }

  /** One-way delay of a message, ms. */
  delay(link: LinkSpec, rng: RandomStream): number {
    return sampleDuration(link.latency, rng);
  }

  /** Whether a message on this link is lost. Draws only when loss is possible. */
  lost(link: LinkSpec, rng: RandomStream): boolean {
    return link.loss > 0 && rng.next() < link.loss;
  }
}
