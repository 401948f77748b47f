/**
 * Whether a pharmacy in B may dispense an eP line from A, and with which
 * substitution (G generic, TE therapeutic, N none): metamizole only where it
 * is authorised; vitamin-K antagonists follow B's national preference, which
 * needs a therapeutic substitution the line must permit; biologicals by brand.
 * A pure function of its inputs (the random draw is passed in).
 */
import type { CountrySpec } from '../../scenarios/spec.ts';
import type { MedicationEntry, SubstitutionCode } from '../../scenarios/reference/types.ts';
import type { Prescription } from '../population/index.ts';
import { GENERIC_SUBSTITUTION_SHARE } from '../behaviour.ts';
import { REASON } from '../reasons.ts';

export type DispenseDecision = { readonly ok: true; readonly substitution: SubstitutionCode } | { readonly ok: false; readonly reason: string };

export function decideDispense(rx: Prescription, med: MedicationEntry | undefined, b: CountrySpec, u: number): DispenseDecision {
  if (med === undefined) return { ok: false, reason: REASON.notDispensable };
  if (med.flags.includes('RESTR') && /metamizole/i.test(med.inn) && !b.dispensing.metamizoleAuthorised) {
    return { ok: false, reason: REASON.notDispensable };
  }
  if (med.flags.includes('VKA') && !sameInn(med.inn, b.dispensing.vka)) {
    // B's pharmacies stock another vitamin-K antagonist: only a permitted therapeutic switch helps.
    if (rx.substitution === 'TE' && b.dispensing.substitutionAllowed) return { ok: true, substitution: 'TE' };
    return { ok: false, reason: REASON.notDispensable };
  }
  if (rx.brandOnly) return { ok: true, substitution: 'N' };
  if (rx.substitution !== 'N' && b.dispensing.substitutionAllowed && u < GENERIC_SUBSTITUTION_SHARE) return { ok: true, substitution: 'G' };
  return { ok: true, substitution: 'N' };
}

function sameInn(inn: string, preferred: string): boolean {
  return inn.toLowerCase().startsWith(preferred.toLowerCase());
}
