// When the TUI is drawn (a terminal, CI unset, no --json, no --no-tui) and
// when colour is allowed (NO_COLOR): the decision itself, and that the
// palette really drops every colour escape even where the terminal has colour.
// ink is imported lazily here, after forcing colour on, so chalk sees it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorAllowed, isCi, tuiWanted } from '../../cli/tui-mode.ts';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(join(root, p)).isDirectory() ? sources(p) : /\.tsx?$/.test(e) ? [p] : [];
    });
}

describe('tui mode', () => {
  const tty = { stdoutIsTty: true, env: {} };

  it('draws only on a terminal, outside CI, without --json or --no-tui', () => {
    expect(tuiWanted(tty)).toBe(true);
    expect(tuiWanted({ ...tty, stdoutIsTty: undefined })).toBe(false);
    expect(tuiWanted({ ...tty, stdoutIsTty: false })).toBe(false);
    expect(tuiWanted({ ...tty, env: { CI: 'true' } })).toBe(false);
    expect(tuiWanted({ ...tty, env: { CI: '1' } })).toBe(false);
    expect(tuiWanted({ ...tty, env: { CI: 'false' } })).toBe(true);
    expect(tuiWanted({ ...tty, env: { CI: '0' } })).toBe(true);
    expect(tuiWanted({ ...tty, json: true })).toBe(false);
    expect(tuiWanted({ ...tty, noTui: true })).toBe(false);
    expect(isCi({})).toBe(false);
  });

  it('cli/ui is only ever imported lazily (dynamic import) or for types from outside cli/ui', () => {
    const bad: string[] = [];
    for (const f of sources('cli')) {
      if (f.startsWith(join('cli', 'ui'))) continue;
      const src = readFileSync(join(root, f), 'utf8');
      for (const m of src.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?[^'"`;]*?from\s+['"]([^'"]+)['"]/g)) {
        const target = relative(root, join(root, f, '..', m[3]!));
        if (target.startsWith(join('cli', 'ui')) && m[2] === undefined) bad.push(`${f} -> ${m[3]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('NO_COLOR set and non-empty turns colour off (no-color.org)', () => {
    expect(colorAllowed({})).toBe(true);
    expect(colorAllowed({ NO_COLOR: '' })).toBe(true);
    expect(colorAllowed({ NO_COLOR: '1' })).toBe(false);
  });

  it('without colour the frames carry no colour escapes, even with FORCE_COLOR', async () => {
    const saved = process.env['FORCE_COLOR'];
    process.env['FORCE_COLOR'] = '1';
    try {
      const { render } = await import('ink-testing-library');
      const { PaletteContext, paletteFor } = await import('../../cli/ui/theme.ts');
      const { Legend } = await import('../../cli/ui/components/Legend.tsx');
      const frame = (color: boolean): string => {
        const app = render(
          <PaletteContext.Provider value={paletteFor(color)}>
            <Legend />
          </PaletteContext.Provider>,
        );
        const f = app.lastFrame() ?? '';
        app.unmount();
        return f;
      };
      const colourEscape = /\u001b\[(3[0-7]|9[0-7]|38;)/;
      expect(frame(true)).toMatch(colourEscape);
      expect(frame(false)).not.toMatch(colourEscape);
      expect(frame(false)).toContain('✗╌╌ failure');
    } finally {
      if (saved === undefined) delete process.env['FORCE_COLOR'];
      else process.env['FORCE_COLOR'] = saved;
    }
  });
});
