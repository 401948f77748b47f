/**
 * The network between nodes: one-way latency and loss per country pair (the
 * scenario's default where no link is given) and the national network between
 * a point of care and its own NCP. Draws come from the caller's stream, so a
 * patient's journey owns its randomness.
 */
import { sampleDuration, type RandomStream } from '../engine/index.ts';
import { linkKey, type LinkSpec, type NetworkSpec } from '../scenarios/spec.ts';

export class Network {
  constructor(private readonly spec: NetworkSpec) {}

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
