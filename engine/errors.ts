/**
 * Typed errors of the kernel. Every error carries a `hint` a person can act on;
 * errors about an input string also carry the input and where in it things went wrong.
 * Error classes lose identity across worker structured clone, so `code` is the
 * stable discriminator.
 */

export class KernelError extends Error {
  readonly code: string = 'KERNEL';
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KernelError';
    this.hint = hint;
  }
}

/** A failed event was processed and nobody waited on it or defused it. */
export class UnhandledFailureError extends KernelError {
  override readonly code = 'UNHANDLED_FAILURE';
  readonly time: number;
  readonly eventName: string;
  constructor(eventName: string, time: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `unhandled failure of ${eventName} at t=${time} ms: ${why}`,
      'wait on the event (yield it) inside a try/catch, or call event.defuse() if the failure is expected',
      { cause },
    );
    this.name = 'UnhandledFailureError';
    this.time = time;
    this.eventName = eventName;
  }
}

/** Thrown into a process generator by `process.interrupt(cause)`. */
export class Interrupt extends Error {
  readonly code = 'INTERRUPT';
  constructor(readonly reason: unknown) {
    super(`interrupted${reason === undefined ? '' : `: ${String(reason)}`}`);
    this.name = 'Interrupt';
  }
}

/** A compact distribution or duration string that could not be understood. */
export class DistributionError extends KernelError {
  override readonly code = 'BAD_DISTRIBUTION';
  /** 0-based offset in `input` where the problem starts. */
  readonly offset: number;
  constructor(
    readonly input: string,
    offset: number,
    readonly expected: string,
    hint?: string,
  ) {
    super(`cannot read "${input}" at column ${offset + 1}: expected ${expected}`, hint);
    this.name = 'DistributionError';
    this.offset = offset;
  }
}
