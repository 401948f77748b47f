/**
 * Whether a command draws the terminal UI or prints plain lines: the TUI only
 * when stdout is an interactive terminal, CI is unset, and neither --json nor
 * --no-tui was given (a pipe or CI never gets ink's redraw escapes). Also
 * whether colour is allowed (https://no-color.org: NO_COLOR set and non-empty).
 */

export interface TuiModeInput {
  /** process.stdout.isTTY (undefined when stdout is a pipe or a file). */
  readonly stdoutIsTty: boolean | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly json?: boolean;
  readonly noTui?: boolean;
}

export function tuiWanted(input: TuiModeInput): boolean {
  return input.stdoutIsTty === true && !isCi(input.env) && input.json !== true && input.noTui !== true;
}

/** CI as ink and most tools read it: CI set to anything but "false" or "0". */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== 'false' && ci !== '0';
}

/** Colour unless NO_COLOR is present and not empty. */
export function colorAllowed(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = env['NO_COLOR'];
  return v === undefined || v === '';
}

/** The decision for this process (the only place that reads process.stdout and process.env for it). */
export function processTuiMode(flags: { json?: boolean; noTui?: boolean } = {}): boolean {
  return tuiWanted({ stdoutIsTty: process.stdout.isTTY, env: process.env, ...flags });
}
