/**
 * `pitsim demo <scenario> [--patient ID] [--speed X] [--script]`: one
 * patient's journey, hop by hop, for teaching. In a terminal it plays the
 * paced TUI (cli/ui, loaded lazily); with --script, in a pipe or in CI it
 * prints the narration as `HH:MM:SS.mmm  text` lines on stdout and exits 0.
 * Same scenario + seed -> the same story, byte for byte.
 *
 * Registration in cli/main.ts (commander):
 *
 *   program
 *     .command('demo')
 *     .description("follow one patient's journey hop by hop, narrated (teaching mode)")
 *     .argument('<scenario>', 'scenario YAML file')
 *     .option('--patient <id>', 'the patient to follow (default: the first whose request reaches country A)')
 *     .option('--speed <x>', 'replay speed factor (1 = one message about every second)', positiveNumber)
 *     .option('--script', 'print the narration as plain text lines (for slides), no animation', false)
 *     .option('-s, --seed <n>', 'root seed (overrides the scenario)', integer)
 *     .option('--set <key.path=value>', 'override any scenario key (repeatable)', collect, [] as string[])
 *     .action(async (scenario: string, opts: { patient?: string; speed?: number; script: boolean; seed?: number; set: string[] }) => {
 *       code = await demoCommand({ scenario, ...opts }, io);
 *     });
 *
 *   function positiveNumber(value: string): number {
 *     const n = Number(value);
 *     if (!(n > 0 && Number.isFinite(n))) throw new InvalidArgumentError('expected a number > 0');
 *     return n;
 *   }
 */
import { DemoStoryError, demoStory } from '../demo-story.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { scriptText } from '../narration.ts';
import { colorAllowed, processTuiMode } from '../tui-mode.ts';
import { systemWallClock } from '../wall-clock.ts';
import { loadOrExplain } from './load-or-explain.ts';

export interface DemoArgs {
  scenario: string;
  patient?: string;
  speed?: number;
  script?: boolean;
  seed?: number;
  set?: readonly string[];
}

export interface DemoEnvironment {
  /** Draw the TUI (default: cli/tui-mode.ts for this process). */
  readonly tui?: boolean;
}

export async function demoCommand(args: DemoArgs, io: Io, env: DemoEnvironment = {}): Promise<number> {
  if (args.speed !== undefined && !(args.speed > 0 && Number.isFinite(args.speed))) {
    io.err(`pitsim demo: --speed must be a number > 0, got ${args.speed}; hint: 1 shows about one message a second, 2 twice as fast\n`);
    return EXIT.invalid;
  }
  const sets = [...(args.set ?? [])];
  if (args.seed !== undefined) sets.push(`seed=${args.seed}`);
  const spec = loadOrExplain(args.scenario, sets, io);
  if (typeof spec === 'number') return spec;

  let story;
  try {
    story = demoStory(spec, args.patient === undefined ? {} : { patient: args.patient });
  } catch (err) {
    if (!(err instanceof DemoStoryError)) throw err;
    io.err(`pitsim demo: ${err.message}; hint: ${err.hint}\n`);
    return EXIT.invalid;
  }

  const tui = args.script !== true && (env.tui ?? processTuiMode());
  if (!tui) {
    io.out(scriptText(story));
    return EXIT.ok;
  }
  const ui = await import('../ui/index.ts');
  await ui.runDemo(story, { clock: systemWallClock, speed: args.speed ?? 1, color: colorAllowed(process.env) });
  return EXIT.ok;
}
