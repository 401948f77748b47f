/**
 * A node that serves work with limited capacity: an NCPeH (capacity =
 * concurrent transactions) or a point of care (capacity = staff). Waits are
 * recorded in a histogram; utilisation comes from the Resource's integrals.
 * `serve` is delegated to with `yield*`, so it costs no extra process.
 */
import { Histogram, Resource, sampleDuration, type Distribution, type ProcessGenerator, type RandomStream, type Request, type Simulation } from '../engine/index.ts';
import type { NodeKind } from './names.ts';
import type { NodeTally } from './result.ts';

export class ServiceNode {
  readonly resource: Resource;
  readonly wait = new Histogram();
  served = 0;

  constructor(
    readonly id: string,
    readonly kind: NodeKind,
    readonly country: string,
    sim: Simulation,
    capacity: number,
  ) {
    this.resource = new Resource(sim, capacity);
    this.resource.waitObserver = (ms) => this.wait.record(ms);
  }

  /** Waits for a server, holds it for a draw of `time`, releases it. */
  *serve(time: Distribution, rng: RandomStream): ProcessGenerator<void> {
    const req = this.resource.request();
    yield req;
    yield sampleDuration(time, rng);
    this.resource.release(req);
    this.served++;
  }

  /** Takes a server and keeps it until release(): a pharmacist serving a patient. */
  acquire(): Request {
    return this.resource.request();
  }

  release(req: Request): void {
    this.resource.release(req);
    this.served++;
  }

  encode(): NodeTally {
    const s = this.resource.stats();
    return {
      kind: this.kind,
      country: this.country,
      capacity: this.resource.capacity,
      served: this.served,
      utilisation: s.utilisation,
      availability: 1,
      wait: this.wait.encode(),
    };
  }
}
