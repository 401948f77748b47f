/**
 * OpenNCP-style abuse detection at A: more than a threshold of requests for one
 * patient, or from one point of care, within a sliding window raises an alert
 * (one per request over the threshold). Off unless the policy enables it.
 */
import type { AbuseDetectionPolicy } from '../../scenarios/spec.ts';

export class AbuseDetector {
  private readonly seen = new Map<string, number[]>();
  alerts = 0;

  constructor(private readonly policy: AbuseDetectionPolicy) {}

  request(now: number, patientKey: string, pointOfCareKey: string): void {
    if (!this.policy.enabled) return;
    if (this.count(`p:${patientKey}`, now) > this.policy.perPatientThreshold) this.alerts++;
    if (this.count(`c:${pointOfCareKey}`, now) > this.policy.perPointOfCareThreshold) this.alerts++;
  }

  private count(key: string, now: number): number {
    let times = this.seen.get(key);
    if (times === undefined) {
      times = [];
      this.seen.set(key, times);
    }
    times.push(now);
    const from = now - this.policy.windowMs;
    let drop = 0;
    while (drop < times.length && times[drop]! <= from) drop++;
    if (drop > 0) times.splice(0, drop);
    return times.length;
  }
}
