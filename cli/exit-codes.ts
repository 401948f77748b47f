/**
 * The one table of exit codes (k6-compatible where k6 has one). Only cli/ sets
 * the process exit code; everything else throws typed errors.
 */
export const EXIT = Object.freeze({
  ok: 0,
  /** An internal error: a bug, or a crashed worker. */
  internal: 1,
  /** Bad usage or an invalid scenario: nothing was run or written. */
  invalid: 2,
  /** A threshold failed (k6's ThresholdsHaveFailed). */
  thresholds: 99,
  /** Interrupted by the user (Ctrl-C / q). */
  interrupted: 130,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
