// The malformed-scenario corpus documents itself: every file in malformed/
// says, in `# expect:` lines, exactly the issues the loader reports for it,
// in order. Adding a case is adding a file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issuesOfFile as reported } from '../helpers/scenario-issues.ts';

const dir = join(import.meta.dirname, 'malformed');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
// The expectations name files from the repository root; load them by a path
// relative to wherever the tests run, and expect that path in the messages.
const written = 'test/scenarios/malformed/';


describe('malformed scenarios', () => {
  it('the corpus has at least 22 cases, each expecting at least one issue', () => {
    expect(files.length).toBeGreaterThanOrEqual(22);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).toMatch(/^# expect: /m);
  });

  for (const f of files) {
    it(f, () => {
      const path = relative(process.cwd(), join(dir, f));
      const expected = readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('# expect: '))
        .map((l) => l.slice('# expect: '.length).replace(written + f, path));
      expect(reported(path)).toEqual(expected);
    });
  }

  it('a file with several mistakes reports them all at once', () => {
    expect(reported(relative(process.cwd(), join(dir, '09-many-errors.yaml'))).length).toBeGreaterThanOrEqual(3);
  });
});
