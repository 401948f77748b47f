/**
 * Stops a child process the way every pitsim helper process is stopped:
 * SIGTERM (it may finish cleanly), then SIGKILL if it has not exited after
 * `graceMs`. Resolves once it has exited, at once if it already had.
 */
import type { ChildProcess } from 'node:child_process';

export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
