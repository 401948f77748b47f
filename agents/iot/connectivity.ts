/**
 * The phone's data connection abroad: an alternating renewal process of
 * exponential online and offline spells. Offline spells have mean `spellMs`;
 * online spells mean spellMs * (1 - s) / s, so the long-run offline share is s.
 * The first state is drawn from the stationary mix (exact, by memorylessness).
 * ConnectivityLaw is the cohort's law (no state, shared by its phones);
 * Connectivity is one phone's state under it.
 */
import type { RandomStream } from '../../engine/index.ts';

export class ConnectivityLaw {
  /** The state for good when it never changes (share 0: online, share 1: offline); null when it alternates. */
  readonly fixed: boolean | null;
  readonly meanOfflineMs: number;
  readonly meanOnlineMs: number;

  constructor(
    readonly offlineShare: number,
    spellMs: number,
  ) {
    if (offlineShare >= 1) {
      this.fixed = false;
      this.meanOfflineMs = this.meanOnlineMs = 0;
    } else if (offlineShare <= 0 || !(spellMs > 0)) {
      // No offline time at all (a zero-length spell is no spell).
      this.fixed = true;
      this.meanOfflineMs = this.meanOnlineMs = 0;
    } else {
      this.fixed = null;
      this.meanOfflineMs = spellMs;
      this.meanOnlineMs = (spellMs * (1 - offlineShare)) / offlineShare;
    }
  }

  /** The first state, from the stationary mix: one draw (only when the state alternates). */
  firstOnline(rng: RandomStream): boolean {
    return rng.next() >= this.offlineShare;
  }

  /** Length of a spell in state `online`: one draw. */
  spell(online: boolean, rng: RandomStream): number {
    return rng.exponential(online ? this.meanOnlineMs : this.meanOfflineMs);
  }
}

export class Connectivity {
  online: boolean;
  /** Absolute time of the next change; Infinity when the state never changes. */
  nextChange: number;
  private readonly law: ConnectivityLaw;

  constructor(offlineShare: number, spellMs: number, now: number, private readonly rng: RandomStream) {
    this.law = new ConnectivityLaw(offlineShare, spellMs);
    if (this.law.fixed !== null) {
      this.online = this.law.fixed;
      this.nextChange = Infinity;
      return;
    }
    this.online = this.law.firstOnline(rng);
    this.nextChange = now + this.law.spell(this.online, rng);
  }

  /** Flips the state at `nextChange` and draws the length of the new spell. */
  toggle(): void {
    if (this.nextChange === Infinity) return;
    this.online = !this.online;
    this.nextChange += this.law.spell(this.online, this.rng);
  }
}
