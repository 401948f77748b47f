/**
 * Colours of the terminal UI, as a React context: every component asks the
 * palette for a colour, and with NO_COLOR (or in tests) the palette is empty,
 * so nothing is coloured and frames stay plain text. Meaning never rests on
 * colour alone: failures also carry ✗ and their reason code.
 */
import { createContext, useContext } from 'react';

export interface Palette {
  readonly ok: string | undefined;
  readonly fail: string | undefined;
  readonly warn: string | undefined;
  readonly accent: string | undefined;
  readonly muted: string | undefined;
  readonly request: string | undefined;
  readonly response: string | undefined;
  readonly local: string | undefined;
}

export const COLOURS: Palette = Object.freeze({
  ok: 'green',
  fail: 'red',
  warn: 'yellow',
  accent: 'cyan',
  muted: 'gray',
  request: 'cyan',
  response: 'green',
  local: 'magenta',
});

export const NO_COLOURS: Palette = Object.freeze({
  ok: undefined,
  fail: undefined,
  warn: undefined,
  accent: undefined,
  muted: undefined,
  request: undefined,
  response: undefined,
  local: undefined,
});

export const PaletteContext = createContext<Palette>(NO_COLOURS);

export function usePalette(): Palette {
  return useContext(PaletteContext);
}

export function paletteFor(color: boolean): Palette {
  return color ? COLOURS : NO_COLOURS;
}
