/**
 * An optional window into a replication as it runs, for tests, traces and the
 * teaching demo: every message between actors and every finished attempt.
 * Null by default; the flows pay one null check per message when it is off.
 */

export type Actor = 'patient' | 'pointOfCare' | 'ncpB' | 'ncpA' | 'nationalA' | 'terminology' | 'device' | 'platformA';

export interface MessageRecord {
  readonly t: number;
  readonly patient: string;
  readonly flow: string;
  readonly step: string;
  readonly from: Actor;
  readonly to: Actor;
  /** request, response, or failure (with reason). */
  readonly kind: 'request' | 'response' | 'failure' | 'local';
  readonly reason?: string;
}

export interface AttemptRecord {
  readonly flow: string;
  readonly patient: string;
  readonly startMs: number;
  readonly endMs: number;
  /** null when the attempt succeeded. */
  readonly reason: string | null;
  readonly outcome: string;
}

export interface FlowObserver {
  message?(m: MessageRecord): void;
  attempt?(a: AttemptRecord): void;
}
