// The layout's rules, checked on the source: imports flow one way, the kernel
// and the domain never read the wall clock or Math.random, and only cli/ui
// touches ink and react.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(join(root, p)).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx)$/.test(e)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(join(root, file), 'utf8');
  return [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s+['"]([^'"]+)['"]/g), ...src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

const allowedInRepo: Record<string, string[]> = {
  engine: ['engine'],
  scenarios: ['scenarios', 'engine'],
  agents: ['agents', 'scenarios', 'engine'],
  reports: ['reports', 'engine', 'scenarios', 'agents'],
  cli: ['cli', 'reports', 'agents', 'scenarios', 'engine'],
};

describe('architecture', () => {
  for (const [dir, allowed] of Object.entries(allowedInRepo)) {
    it(`${dir}/ imports only from ${allowed.join(', ')}`, () => {
      const bad: string[] = [];
      for (const f of files(dir)) {
        for (const spec of imports(f)) {
          if (!spec.startsWith('.')) continue;
          const target = relative(root, join(root, f, '..', spec)).split('/')[0]!;
          if (!allowed.includes(target)) bad.push(`${f} -> ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('engine/ and agents/ (adapters aside) never read the wall clock, Math.random, timers or env', () => {
    const bad: string[] = [];
    for (const f of [...files('engine'), ...files('agents')]) {
      if (f.includes('/adapters/')) continue;
      const src = readFileSync(join(root, f), 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*)/.test(l))
        .join('\n');
      for (const pat of [/Math\.random/, /Date\.now\(/, /new Date\(\)/, /setTimeout\(/, /setInterval\(/, /process\.env/, /performance\.now/, /process\.hrtime/]) {
        if (pat.test(src)) bad.push(`${f}: ${pat.source}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('only cli/ui imports ink or react; nothing outside cli/ uses console or process.exit', () => {
    const bad: string[] = [];
    for (const dir of ['engine', 'scenarios', 'agents', 'reports', 'cli']) {
      for (const f of files(dir)) {
        const src = readFileSync(join(root, f), 'utf8');
        const uiImports = imports(f).filter((s) => s === 'ink' || s === 'react' || s.startsWith('ink-') || s.startsWith('@inkjs/'));
        if (uiImports.length > 0 && !f.startsWith('cli/ui/')) bad.push(`${f} imports ${uiImports.join(', ')}`);
        if (!f.startsWith('cli/') && /\bconsole\.|process\.exit\(/.test(src)) bad.push(`${f} uses console or process.exit`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every module opens with a comment saying what it is', () => {
    const bad: string[] = [];
    for (const dir of ['engine', 'scenarios', 'agents', 'reports', 'cli']) {
      for (const f of files(dir)) {
        const head = readFileSync(join(root, f), 'utf8').trimStart();
        if (!head.startsWith('/**') && !head.startsWith('//') && !head.startsWith('#!')) bad.push(f);
      }
    }
    expect(bad).toEqual([]);
  });
});
