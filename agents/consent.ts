/**
 * Consent as A's NCP sees it. A patient opts in or out per data category at
 * the start; a revocation ("red button") happens at the national consent
 * registry at `revokedAt` and reaches A's NCP at `learnedAt` (push: after a
 * short delay; poll: at the next poll). An access served in between is a
 * consent violation: the data left although the patient had said no.
 */
import { sampleDuration, type RandomStream } from '../engine/index.ts';
import type { ConsentPolicy } from '../scenarios/spec.ts';
import type { ServiceName } from '../scenarios/reference/types.ts';
import type { Patient } from './population/index.ts';

export type ConsentVerdict = 'granted' | 'refused' | 'violation';

export class ConsentState {
  revokedAt = Infinity;
  learnedAt = Infinity;

  constructor(private readonly patient: Patient) {}

  /** Revokes at `now`; returns the propagation lag to A's NCP. */
  revoke(now: number, policy: ConsentPolicy, rng: RandomStream): number {
    this.revokedAt = now;
    this.learnedAt =
      policy.propagation === 'push' ? now + sampleDuration(policy.pushDelay, rng) : (Math.floor(now / policy.pollIntervalMs) + 1) * policy.pollIntervalMs;
    return this.learnedAt - now;
  }

  /** What A's NCP decides for an access at `now`. */
  check(service: ServiceName, now: number): ConsentVerdict {
    if (!this.patient.consent[service]) return 'refused';
    if (now >= this.revokedAt) return now >= this.learnedAt ? 'refused' : 'violation';
    return 'granted';
  }
}
