/**
 * A module run in a fresh `node` with tsx, for a figure that needs a process
 * of its own: peak RSS, or V8 flags read only at start-up. The source imports
 * repository files through repoUrl(); what it writes to stdout comes back.
 * The child runs in the repository root and gets tsx resolved from here.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));

/** A repository file (path from the root) as an import specifier for the child's source. */
export function repoUrl(path: string): string {
  return pathToFileURL(`${root}${path}`).href;
}

/** Runs `source` as an ES module in `node [nodeFlags] --import tsx`; resolves with its stdout, rejects if it fails. */
export async function runModuleInChild(source: string, nodeFlags: readonly string[] = []): Promise<string> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, '--import', tsx, '--input-type=module', '--eval', source], { cwd: root, maxBuffer: 1 << 20 });
  return stdout;
}
