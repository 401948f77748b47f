/**
 * Mounts the teaching demo with ink and resolves when the user quits (or,
 * without a keyboard, when the story ends). Pacing uses the WallClock given
 * (the system clock from cli/wall-clock.ts; a fake one in tests).
 */
import { render } from 'ink';
import type { WallClock } from '../../engine/index.ts';
import { replayTimes, type DemoStory } from '../demo-story.ts';
import { DemoApp } from './components/DemoApp.tsx';
import { PaletteContext, paletteFor } from './theme.ts';

export interface DemoOptions {
  readonly clock: WallClock;
  /** Replay ms per wall ms (default 1). */
  readonly speed?: number;
  /** Start paused (space or → to go on). */
  readonly paused?: boolean;
  readonly color?: boolean;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

export async function runDemo(story: DemoStory, options: DemoOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const columns = Math.max(80, Math.min(140, stdout.columns ?? 100));
  const rows = Math.max(6, Math.min(24, (stdout.rows ?? 40) - 14));
  const instance = render(
    <PaletteContext.Provider value={paletteFor(options.color ?? true)}>
      <DemoApp story={story} times={replayTimes(story.messages)} clock={options.clock} speed={options.speed ?? 1} paused={options.paused ?? false} columns={columns} rows={rows} />
    </PaletteContext.Provider>,
    { stdout, ...(options.stdin === undefined ? {} : { stdin: options.stdin }), exitOnCtrlC: false, patchConsole: false },
  );
  await instance.waitUntilExit();
}
