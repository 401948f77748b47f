/**
 * The streams a command writes to, injected so tests can capture them and so
 * nothing below cli/ ever touches process.stdout or process.stderr.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is an interactive terminal (progress can redraw). */
  readonly errIsTty: boolean;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  errIsTty: process.stderr.isTTY === true,
};
