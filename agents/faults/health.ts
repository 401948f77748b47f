/**
 * The live health of what faults can hit: a node (down, degraded, certificate
 * expired, compromised), a link (partitioned, slowed), the central terminology
 * service, and each device kind (compromised share). Faults change it through
 * counters so that overlapping faults compose: a node is down while any
 * outage on it is active. Downtime is integrated for availability.
 */
import { sampleDuration, type Distribution, type RandomStream } from '../../engine/index.ts';

export class NodeHealth {
  private downCount = 0;
  private downSince = 0;
  downtimeMs = 0;
  /** Product of active degradations' latency factors. */
  latencyFactor = 1;
  /** Probability of an InternalError while degraded (the largest active). */
  private readonly errorRates: number[] = [];
  certExpired = 0;
  /** Active breaches: while > 0 everything passing or resting here is readable by the attacker. */
  compromised = 0;

  get down(): boolean {
    return this.downCount > 0;
  }

  get errorRate(): number {
    let m = 0;
    for (const r of this.errorRates) if (r > m) m = r;
    return m;
  }

  goDown(now: number): void {
    if (this.downCount++ === 0) this.downSince = now;
  }

  comeUp(now: number): void {
    if (--this.downCount === 0) this.downtimeMs += now - this.downSince;
  }

  /** Downtime up to `now`, including a still-open outage. */
  downtimeUntil(now: number): number {
    return this.downtimeMs + (this.downCount > 0 ? now - this.downSince : 0);
  }

  degrade(factor: number, errorRate: number): void {
    this.latencyFactor *= factor;
    this.errorRates.push(errorRate);
  }

  restore(factor: number, errorRate: number): void {
    this.latencyFactor /= factor;
    const i = this.errorRates.indexOf(errorRate);
    if (i >= 0) this.errorRates.splice(i, 1);
    if (this.errorRates.length === 0) this.latencyFactor = Math.abs(this.latencyFactor - 1) < 1e-9 ? 1 : this.latencyFactor;
  }
}

export class LinkHealth {
  partitioned = 0;
  private readonly spikes: Distribution[] = [];

  addSpike(d: Distribution): void {
    this.spikes.push(d);
  }

  removeSpike(d: Distribution): void {
    const i = this.spikes.indexOf(d);
    if (i >= 0) this.spikes.splice(i, 1);
  }

  /** Extra one-way latency from active spikes (draws only while one is active). */
  extraDelay(rng: RandomStream): number {
    let extra = 0;
    for (const d of this.spikes) extra += sampleDuration(d, rng);
    return extra;
  }
}

export class DeviceHealth {
  /** Active compromises and the share of default-password devices each takes over. */
  private readonly shares: number[] = [];

  compromise(share: number): void {
    this.shares.push(share);
  }

  release(share: number): void {
    const i = this.shares.indexOf(share);
    if (i >= 0) this.shares.splice(i, 1);
  }

  /** Share of vulnerable devices under the attacker's control now (0 when none). */
  get share(): number {
    let m = 0;
    for (const s of this.shares) if (s > m) m = s;
    return m;
  }
}

export class TerminologyHealth {
  down = 0;
}
