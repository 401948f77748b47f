/**
 * A circuit breaker at B per country A: after `failures` consecutive transport
 * failures (timeouts, connection failures) to A the circuit opens and requests
 * fail fast for `openMs`; then one trial request is let through (half-open):
 * success closes the circuit, failure opens it again.
 */
import type { CircuitBreakerPolicy } from '../../scenarios/spec.ts';

export class CircuitBreaker {
  private consecutive = 0;
  private openUntil = -1;
  private trialInFlight = false;
  opened = 0;

  constructor(private readonly policy: CircuitBreakerPolicy) {}

  /** May a request go now? Reserves the half-open trial when it lets one through. */
  allow(now: number): boolean {
    if (!this.policy.enabled || this.openUntil < 0) return true;
    if (now < this.openUntil || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.consecutive = 0;
    this.openUntil = -1;
    this.trialInFlight = false;
  }

  failure(now: number): void {
    if (!this.policy.enabled) return;
    this.consecutive++;
    if (this.trialInFlight || this.consecutive >= this.policy.failures) {
      this.openUntil = now + this.policy.openMs;
      this.trialInFlight = false;
      this.opened++;
    }
  }
}
