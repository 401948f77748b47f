/**
 * Behavioural constants of the domain model that scenarios do not (yet) set,
 * gathered so that every assumption is visible in one place and reported in
 * the report's meta.
 */

/** Share of ePrescriptions dispensed abroad but never recorded at A that get dispensed again at home. */
export const HOME_REDISPENSE_SHARE = 0.5;

/** Share of dispensations where a pharmacy substitutes a generic when the eP line permits it (G) and B allows it. */
export const GENERIC_SUBSTITUTION_SHARE = 0.3;

export const DAY_MS = 86_400_000;
