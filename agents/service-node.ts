/**
 * A node that serves work with limited capacity: an NCPeH (capacity =
 * concurrent transactions) or a point of care (capacity = staff). Waits are
 * recorded in a histogram; utilisation comes from the Resource's integrals;
 * availability from the downtime its faults caused. A node that a breach
 * targets keeps the ids of patients whose records rest there.
 */
import { Histogram, Resource, sampleDuration, type Distribution, type ProcessGenerator, type RandomStream, type Request, type Simulation } from '../engine/index.ts';
import { NodeHealth } from './faults/health.ts';
import type { NodeKind } from './names.ts';
import { REASON } from './reasons.ts';
import type { SecurityRecorder } from './recorders.ts';
import type { NodeTally } from './result.ts';

export class ServiceNode {
  readonly resource: Resource;
  readonly wait = new Histogram();
  readonly health = new NodeHealth();
  served = 0;
  private resting: Set<string> | null = null;

  constructor(
    readonly id: string,
    readonly kind: NodeKind,
    readonly country: string,
    private readonly sim: Simulation,
    capacity: number,
  ) {
    this.resource = new Resource(sim, capacity);
    this.resource.waitRecorder = this.wait;
  }

  /**
   * Waits for a server, holds it for a draw of `time` (times any degradation),
   * releases it. Returns null, or why the node could not serve: it is down
   * (connection not possible) or, degraded, it failed internally.
   */
  *serve(time: Distribution, rng: RandomStream): ProcessGenerator<string | null> {
    const h = this.health;
    if (h.down) return REASON.connection;
    const req = this.resource.request();
    yield req;
    yield sampleDuration(time, rng) * h.latencyFactor;
    this.resource.release(req);
    this.served++;
    const er = h.errorRate;
    return er > 0 && rng.next() < er ? REASON.internal : null;
  }

  /** Takes a server and keeps it until release(): a pharmacist serving a patient. */
  acquire(): Request {
    return this.resource.request();
  }

  release(req: Request): void {
    this.resource.release(req);
    this.served++;
  }

  /** From now on remember whose records rest here (only breach targets pay for this). */
  keepRecords(): void {
    this.resting ??= new Set();
  }

  /** A patient's record is stored here (a dispensation, a visit); exposed at once if compromised. */
  store(patientId: string, security: SecurityRecorder): void {
    if (this.resting !== null) this.resting.add(patientId);
    if (this.health.compromised > 0) security.expose(patientId);
  }

  /** A breach begins: everything resting here is exposed. */
  exposeResting(security: SecurityRecorder): void {
    if (this.resting !== null) for (const id of this.resting) security.expose(id);
  }

  encode(): NodeTally {
    const s = this.resource.stats();
    const now = this.sim.now;
    return {
      kind: this.kind,
      country: this.country,
      capacity: this.resource.capacity,
      served: this.served,
      utilisation: s.utilisation,
      availability: now > 0 ? 1 - this.health.downtimeUntil(now) / now : 1,
      wait: this.wait.encode(),
    };
  }
}
