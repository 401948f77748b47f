/**
 * From an HTTP answer or a transport failure to the flow's failure reason, in
 * the OpenNCP vocabulary the simulator reports (agents/reasons.ts), and which
 * failures are worth a retry:
 *
 * | answer                    | reason                                                       |
 * | ------------------------- | ------------------------------------------------------------ |
 * | 2xx                       | none                                                         |
 * | 404 / 410 on lookup       | ERROR_PI_NO_MATCH (elsewhere: the flow's "not found")        |
 * | 409 / 412                 | ERROR_EP_ALREADY_DISPENSED (4106) on eP/eD; else generic     |
 * | 400 / 422 / other 4xx     | the flow's validation failure (ERROR_PI/PS/EP/ED/HQI_GENERIC)|
 * | 401 / 403                 | ERROR_INSUFFICIENT_RIGHTS (4703)                             |
 * | 429                       | ResponderBusy (IHE), retried after Retry-After               |
 * | 5xx                       | InternalError (IHE); 502/503/504 are retried                 |
 * | timeout                   | TIMEOUT                                                      |
 * | refused / reset / closed  | ERROR_GENERIC_CONNECTION_NOT_POSSIBLE                        |
 * | TLS handshake             | TLS_HANDSHAKE_FAILED                                         |
 * | run stopped               | INTERRUPTED                                                  |
 */
import { REASON } from '../reasons.ts';
import type { TransportError } from './gateway.ts';

/**
 * What a request is for: decides the reason of a 404 or 422. The Patient
 * Summary is `summary` ($summary), or `summaryDocRef` (the DocumentReference
 * search) then `summaryDocument` (the document it points to).
 */
export type Interaction =
  | 'identify'
  | 'summary'
  | 'summaryDocRef'
  | 'summaryDocument'
  | 'prescriptions'
  | 'dispense'
  | 'verifyDispense'
  | 'iotBatch'
  | 'prepare'
  | 'metadata';

export const ADAPTER_REASON = Object.freeze({
  busy: 'ResponderBusy',
  multipleMatches: 'ERROR_PI_MULTIPLE_MATCHES',
  piGeneric: 'ERROR_PI_GENERIC',
  psGeneric: 'ERROR_PS_GENERIC',
  psNotFound: 'ERROR_PS_NOT_FOUND',
  psMissingSections: 'ERROR_PS_MISSING_BASIC_SECTIONS',
  epGeneric: 'ERROR_EP_GENERIC',
  epNotFound: 'ERROR_EP_NOT_FOUND',
  epNotMatching: 'ERROR_EP_NOT_MATCHING',
  edGeneric: 'ERROR_ED_GENERIC',
  edNotIdentifiable: 'ERROR_ED_EPRESCRIPTION_NOT_IDENTIFIABLE',
  hqiGeneric: 'ERROR_HQI_GENERIC',
  generic: 'ERROR_GENERIC',
  documentMissing: 'ERROR_GENERIC_DOCUMENT_MISSING',
  insufficientRights: 'ERROR_INSUFFICIENT_RIGHTS',
  interrupted: 'INTERRUPTED',
});

/** The validation ("generic") failure of each interaction. */
const VALIDATION: Readonly<Record<Interaction, string>> = {
  identify: ADAPTER_REASON.piGeneric,
  summary: ADAPTER_REASON.psGeneric,
  summaryDocRef: ADAPTER_REASON.psGeneric,
  summaryDocument: ADAPTER_REASON.psGeneric,
  prescriptions: ADAPTER_REASON.epGeneric,
  dispense: ADAPTER_REASON.edGeneric,
  verifyDispense: ADAPTER_REASON.edGeneric,
  iotBatch: ADAPTER_REASON.hqiGeneric,
  prepare: ADAPTER_REASON.generic,
  metadata: ADAPTER_REASON.generic,
};

const NOT_FOUND: Readonly<Record<Interaction, string>> = {
  identify: REASON.noMatch,
  summary: ADAPTER_REASON.psNotFound,
  summaryDocRef: ADAPTER_REASON.psNotFound,
  summaryDocument: ADAPTER_REASON.psNotFound,
  prescriptions: ADAPTER_REASON.epNotFound,
  dispense: ADAPTER_REASON.edNotIdentifiable,
  verifyDispense: ADAPTER_REASON.edNotIdentifiable,
  iotBatch: ADAPTER_REASON.documentMissing,
  prepare: ADAPTER_REASON.documentMissing,
  metadata: ADAPTER_REASON.documentMissing,
};

/** The reason an HTTP status means for this interaction; null for success. */
export function reasonForStatus(interaction: Interaction, status: number): string | null {
  if (status >= 200 && status < 300) return null;
  if (status === 404 || status === 410) return NOT_FOUND[interaction];
  if (status === 409 || status === 412) {
    return interaction === 'prescriptions' || interaction === 'dispense' || interaction === 'verifyDispense' ? REASON.alreadyDispensed : VALIDATION[interaction];
  }
  if (status === 401 || status === 403) return ADAPTER_REASON.insufficientRights;
  if (status === 429) return ADAPTER_REASON.busy;
  if (status >= 500) return REASON.internal;
  return VALIDATION[interaction];
}

export function reasonForTransport(error: TransportError): string {
  switch (error) {
    case 'TIMEOUT':
      return REASON.timeout;
    case 'CONNECTION':
      return REASON.connection;
    case 'TLS':
      return REASON.tls;
    case 'ABORTED':
      return ADAPTER_REASON.interrupted;
  }
}

/**
 * Worth another attempt: the request may not have been served (timeout,
 * connection), the responder was busy (429), or a proxy or the server said
 * it is temporarily unavailable (502, 503, 504). Every request pitsim sends is
 * safe to repeat: reads, and writes made idempotent with If-None-Exist.
 */
export function retryable(reason: string, status: number | undefined): boolean {
  if (reason === REASON.timeout || reason === REASON.connection || reason === ADAPTER_REASON.busy) return true;
  return reason === REASON.internal && (status === 502 || status === 503 || status === 504);
}
