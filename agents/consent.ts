/**
 * Consent as A's NCP sees it. A patient opts in or out per data category at
 * the start; a revocation ("red button") happens at the national consent
 * registry at `revokedAt` and reaches A's NCP at `learnedAt` (push: after a
 * short delay; poll: at the next poll). An access served in between is a
 * consent violation. State lives in a table indexed by patient slot (typed
 * arrays), so patients away from any need cost a few bytes, not objects.
 */
import { sampleDuration, type RandomStream } from '../engine/index.ts';
import type { ConsentPolicy } from '../scenarios/spec.ts';
import type { ServiceName } from '../scenarios/reference/types.ts';
import type { Patient } from './population/index.ts';

export type ConsentVerdict = 'granted' | 'refused' | 'violation';

const BIT: Readonly<Record<ServiceName, number>> = { patientSummary: 1, ePrescription: 2 };

/** Every patient's opt-ins (a byte each) and the revocations (few: kept sparse), by slot. */
export class ConsentTable {
  readonly optIn: Uint8Array;
  /** slot -> [revokedAt, learnedAt] */
  readonly revocations = new Map<number, readonly [number, number]>();

  constructor(size: number) {
    this.optIn = new Uint8Array(size);
  }

  /** Records a patient's initial choices (at arrival). */
  enrol(slot: number, p: Patient): void {
    this.optIn[slot] = (p.consent.patientSummary ? BIT.patientSummary : 0) | (p.consent.ePrescription ? BIT.ePrescription : 0);
  }
}

/** One patient's consent, read live from the table. */
export class ConsentState {
  constructor(
    private readonly table: ConsentTable,
    private readonly slot: number,
  ) {}

  /** A stand-alone state for one patient (tests, single journeys). */
  static of(p: Patient): ConsentState {
    const t = new ConsentTable(1);
    t.enrol(0, p);
    return new ConsentState(t, 0);
  }

  get revokedAt(): number {
    return this.table.revocations.get(this.slot)?.[0] ?? Infinity;
  }

  get learnedAt(): number {
    return this.table.revocations.get(this.slot)?.[1] ?? Infinity;
  }

  /** Revokes at `now`; returns the propagation lag to A's NCP. */
  revoke(now: number, policy: ConsentPolicy, rng: RandomStream): number {
    const learned =
      policy.propagation === 'push' ? now + sampleDuration(policy.pushDelay, rng) : (Math.floor(now / policy.pollIntervalMs) + 1) * policy.pollIntervalMs;
    this.table.revocations.set(this.slot, [now, learned]);
    return learned - now;
  }

  /** What A's NCP decides for an access at `now`. */
  check(service: ServiceName, now: number): ConsentVerdict {
    if ((this.table.optIn[this.slot]! & BIT[service]) === 0) return 'refused';
    const r = this.table.revocations.size === 0 ? undefined : this.table.revocations.get(this.slot);
    if (r !== undefined && now >= r[0]) return now >= r[1] ? 'refused' : 'violation';
    return 'granted';
  }
}
