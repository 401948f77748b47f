/**
 * The phone's data connection abroad: an alternating renewal process of
 * exponential online and offline spells. Offline spells have mean `spellMs`;
 * online spells mean spellMs * (1 - s) / s, so the long-run offline share is s.
 * The first state is drawn from the stationary mix (exact, by memorylessness).
 */
import type { RandomStream } from '../../engine/index.ts';

export class Connectivity {
  online: boolean;
  /** Absolute time of the next change; Infinity when the state never changes. */
  nextChange: number;
  private readonly meanOfflineMs: number;
  private readonly meanOnlineMs: number;

  constructor(offlineShare: number, spellMs: number, now: number, private readonly rng: RandomStream) {
    if (offlineShare >= 1) {
      this.online = false;
      this.nextChange = Infinity;
      this.meanOfflineMs = this.meanOnlineMs = 0;
      return;
    }
    if (offlineShare <= 0 || !(spellMs > 0)) {
      // No offline time at all (a zero-length spell is no spell).
      this.online = true;
      this.nextChange = Infinity;
      this.meanOfflineMs = this.meanOnlineMs = 0;
      return;
    }
    this.meanOfflineMs = spellMs;
    this.meanOnlineMs = (spellMs * (1 - offlineShare)) / offlineShare;
    this.online = rng.next() >= offlineShare;
    this.nextChange = now + rng.exponential(this.online ? this.meanOnlineMs : this.meanOfflineMs);
  }

  /** Flips the state at `nextChange` and draws the length of the new spell. */
  toggle(): void {
    if (this.nextChange === Infinity) return;
    this.online = !this.online;
    this.nextChange += this.rng.exponential(this.online ? this.meanOnlineMs : this.meanOfflineMs);
  }
}
