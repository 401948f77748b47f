/**
 * The command line: parses argv with commander and dispatches to a command.
 * Returns the exit code instead of exiting, so tests can call main() directly.
 * Only this folder touches argv, env, stdout, stderr and exit codes.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { EXIT } from './exit-codes.ts';
import { processIo, type Io } from './io.ts';
import { VERSION } from './version.ts';

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('pitsim')
    .description('Patient-in-transit simulator: cross-border health data flows (MyHealth@EU), deterministic and fast')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => io.err(s), writeOut: (s) => io.out(s) });

  program
    .command('run')
    .description('run a scenario and report latency, failures and security outcomes')
    .argument('<scenario>', 'scenario YAML file')
    .option('-r, --replications <n>', 'number of replications (overrides the scenario)', positiveInt)
    .option('-s, --seed <n>', 'root seed (overrides the scenario)', integer)
    .option('--set <key.path=value>', 'override any scenario key (repeatable)', collect, [] as string[])
    .option('--json', 'print the Report as JSON on stdout (progress stays on stderr)', false)
    .option('-o, --out <dir>', 'also write the Report into this folder (atomically)')
    .action((scenario: string, opts: { replications?: number; seed?: number; set: string[]; json: boolean; out?: string }) => {
      code = runCommand({ scenario, ...opts }, io);
    });

  program
    .command('validate')
    .description('check a scenario and print every problem with file:line:column')
    .argument('<scenario>', 'scenario YAML file')
    .option('--set <key.path=value>', 'override any scenario key (repeatable)', collect, [] as string[])
    .action((scenario: string, opts: { set: string[] }) => {
      code = validateCommand(scenario, opts.set, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    throw err;
  }
  return code;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

function positiveInt(value: string): number {
  const n = integer(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}
