/**
 * Failure reasons and warnings, in the OpenNCP error vocabulary where OpenNCP
 * has a code (research/myhealth-eu.md section 6), and pitsim's own names where
 * it has none (a service absent from discovery, a timeout). Reports key failure
 * counts by these strings.
 */

export const REASON = Object.freeze({
  noMatch: 'ERROR_PI_NO_MATCH',
  noConsent: 'ERROR_NO_CONSENT',
  transcoding: 'ERROR_TRANSCODING_ERROR',
  alreadyDispensed: 'ERROR_EP_ALREADY_DISPENSED',
  notDispensable: 'ERROR_ED_NOT_DISPENSABLE_EPRESCRIPTION',
  substitutionNotAllowed: 'ERROR_ED_SUBSTITUTION_INFORMATION_NOT_ALLOWED',
  connection: 'ERROR_GENERIC_CONNECTION_NOT_POSSIBLE',
  timeout: 'TIMEOUT',
  notOfferedByA: 'SERVICE_NOT_OFFERED_BY_A',
  notOfferedByB: 'SERVICE_NOT_OFFERED_BY_B',
  internal: 'InternalError',
  tls: 'TLS_HANDSHAKE_FAILED',
  circuitOpen: 'CIRCUIT_OPEN',
});

export const WARNING = Object.freeze({
  psTranslation: 'WARNING_PS_MISSING_EXPECTED_TRANSLATION',
  epTranslation: 'WARNING_EP_MISSING_EXPECTED_TRANSLATION',
});

/** What each reason means, with its OpenNCP numeric code where there is one. */
export const REASON_INFO: Readonly<Record<string, { code: number | null; meaning: string }>> = Object.freeze({
  ERROR_PI_NO_MATCH: { code: null, meaning: 'XCPD: country A found no patient for the identity traits presented' },
  ERROR_NO_CONSENT: { code: 4701, meaning: 'the patient has not consented to cross-border sharing of this data' },
  ERROR_TRANSCODING_ERROR: { code: 4203, meaning: 'country A could not transcode the national document into the pivot' },
  ERROR_EP_ALREADY_DISPENSED: { code: 4106, meaning: 'the ePrescription was already dispensed' },
  ERROR_ED_NOT_DISPENSABLE_EPRESCRIPTION: { code: null, meaning: 'the pharmacy cannot dispense it here (not authorised, or a needed substitution is not permitted)' },
  ERROR_ED_SUBSTITUTION_INFORMATION_NOT_ALLOWED: { code: null, meaning: "country A's law forbids the substitution the eDispensation reports" },
  ERROR_GENERIC_CONNECTION_NOT_POSSIBLE: { code: null, meaning: 'country B could not reach country A' },
  TIMEOUT: { code: null, meaning: 'no answer within the client timeout (OpenNCP default 180 s; audited as EHDSI-CF)' },
  SERVICE_NOT_OFFERED_BY_A: { code: null, meaning: "the patient's country does not provide this service as country A (no discovery entry)" },
  SERVICE_NOT_OFFERED_BY_B: { code: null, meaning: 'the country of treatment does not provide this service as country B' },
  InternalError: { code: null, meaning: 'the responding gateway failed internally (IHE XCPD/XCA responder error)' },
  TLS_HANDSHAKE_FAILED: { code: null, meaning: 'the mutual-TLS handshake failed (an expired or untrusted eHDSI certificate)' },
  CIRCUIT_OPEN: { code: null, meaning: "B's circuit breaker for this country A is open: failed fast without sending" },
  WARNING_PS_MISSING_EXPECTED_TRANSLATION: { code: null, meaning: 'no translation: the clinician sees the untranslated pivot (not an error)' },
  WARNING_EP_MISSING_EXPECTED_TRANSLATION: { code: null, meaning: 'no translation: the pharmacist sees the untranslated pivot (not an error)' },
});

/** Failures worth a retry: the request may not have been served. */
export function retryable(reason: string): boolean {
  return reason === REASON.timeout || reason === REASON.connection;
}
