/**
 * The command line: parses argv with commander and dispatches to a command.
 * Returns the exit code instead of exiting, so tests can call main() directly.
 * Only this folder touches argv, env, stdout, stderr and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from './exit-codes.ts';

export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('pitsim')
    .description('Patient-in-transit simulator: cross-border health data flows, deterministic and fast')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command('run')
    .description('run a scenario and report latency, failures and security outcomes')
    .argument('<scenario>', 'scenario YAML file')
    .action(() => {
      process.stderr.write('pitsim run: scenarios arrive with the scenarios issue; the kernel is ready (npm run bench).\n');
      code = EXIT.internal;
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    throw err;
  }
  return code;
}
