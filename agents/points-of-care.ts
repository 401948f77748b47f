/**
 * Choosing a point of care: a patient walks into a random pharmacy or hospital
 * of the destination; one that an outage closed is skipped for another that
 * is open. Null when every one is closed.
 */
import type { RandomStream } from '../engine/index.ts';
import type { ServiceNode } from './service-node.ts';

export function pickUp(sites: readonly ServiceNode[], rng: RandomStream): ServiceNode | null {
  if (sites.length === 0) return null;
  const first = sites[rng.int(sites.length)]!;
  if (!first.health.down) return first;
  const open = sites.filter((s) => !s.health.down);
  return open.length === 0 ? null : open[rng.int(open.length)]!;
}
