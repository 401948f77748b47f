/**
 * The command line: parses argv with commander and dispatches to a command.
 * Returns the exit code instead of exiting, so tests can call main() directly.
 * Only this folder touches argv, env, stdout, stderr and exit codes.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { compareCommand } from './commands/compare.ts';
import { demoCommand } from './commands/demo.ts';
import { loadCommand, type LoadArgs } from './commands/load.ts';
import { workerCommand, type WorkerArgs } from './commands/worker.ts';
import { runCommand } from './commands/run.ts';
import { sweepCommand } from './commands/sweep.ts';
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
    .option('-o, --out <dir>', 'also write report.json, report.md and csv/ into this folder (each atomically)')
    .option('-w, --workers <n>', 'worker threads (default: available cores)', positiveInt)
    .option('--no-tui', 'plain progress lines on stderr and the summary on stdout, even in a terminal')
    .option('--queue <url>', 'run the replications on pitsim workers through Redis (redis://host:port) instead of local threads')
    .action(async (scenario: string, opts: { replications?: number; seed?: number; set: string[]; json: boolean; out?: string; workers?: number; tui: boolean; queue?: string }) => {
      code = await runCommand({ scenario, ...opts }, io);
    });

  program
    .command('validate')
    .description('check a scenario and print every problem with file:line:column')
    .argument('<scenario>', 'scenario YAML file')
    .option('--set <key.path=value>', 'override any scenario key (repeatable)', collect, [] as string[])
    .action((scenario: string, opts: { set: string[] }) => {
      code = validateCommand(scenario, opts.set, io);
    });

  program
    .command('demo')
    .description("follow one patient's journey hop by hop, narrated (teaching mode)")
    .argument('<scenario>', 'scenario YAML file')
    .option('--patient <id>', 'the patient to follow (default: the first whose request reaches country A)')
    .option('--speed <x>', 'replay speed factor (1 = one message about every second)', positiveNumber)
    .option('--script', 'print the narration as plain text lines (for slides), no animation', false)
    .option('-s, --seed <n>', 'root seed (overrides the scenario)', integer)
    .option('--set <key.path=value>', 'override any scenario key (repeatable)', collect, [] as string[])
    .action(async (scenario: string, opts: { patient?: string; speed?: number; script: boolean; seed?: number; set: string[] }) => {
      code = await demoCommand({ scenario, ...opts }, io);
    });

  program
    .command('worker')
    .description('take replication jobs from a Redis queue (BullMQ) and run them on this machine, until Ctrl-C')
    .requiredOption('--queue <url>', 'the Redis the submitter uses, e.g. redis://127.0.0.1:6379')
    .option('-c, --concurrency <n>', 'replications at once on this machine: the threads of its pool (default: available cores)', positiveInt)
    .option('--lock-duration <ms>', "job lock; a killed worker's job is retried elsewhere after about this long (default 30000)", positiveInt)
    .option('--stalled-interval <ms>', 'how often this worker looks for stalled jobs (default 30000)', positiveInt)
    .action(async (opts: WorkerArgs) => {
      code = await workerCommand(opts, io);
    });

  program
    .command('load')
    .description("drive real FHIR gateways with a scenario's traffic (open model, real time)")
    .argument('<scenario>', 'scenario YAML file')
    .option('--bind <node=url>', 'bind a node (or pattern) to a FHIR endpoint, e.g. ncp.FR=http://127.0.0.1:8080/fhir (repeatable)', collect, [] as string[])
    .option('--prepare', 'seed the bound gateways with the population (idempotent), then exit', false)
    .option('--summary-via <mode>', 'how every bound gateway serves the Patient Summary: operation ($summary, the default), documentReference (MHD) or auto')
    .option('--speed <x>', 'simulated time per wall time (1000: a simulated second per wall ms); default 1', positiveNumber)
    .option('--duration <d>', 'wall time during which flows start, e.g. 30s (default 30s)')
    .option('--max-in-flight <n>', 'flows outstanding at most; later starts are dropped (default 256)', positiveInt)
    .option('-s, --seed <n>', 'root seed (overrides the scenario)', integer)
    .option('--set <key.path=value>', 'override any scenario key (repeatable)', collect, [] as string[])
    .option('--json', 'print the Report as JSON on stdout (progress stays on stderr)', false)
    .option('-o, --out <dir>', 'also write report.json, report.md and csv/ into this folder (each atomically)')
    .option('--insecure', 'accept any TLS server certificate (testing only)', false)
    .action(async (scenario: string, opts: Omit<LoadArgs, 'scenario'>) => {
      code = await loadCommand({ scenario, ...opts }, io);
    });

  program
    .command('compare')
    .description('compare two variants replication by replication (common random numbers), with 95% intervals of B - A')
    .argument('<a>', 'scenario A (YAML file)')
    .argument('[b]', 'scenario B (YAML file); default: A with the --set-b overrides')
    .option('-r, --replications <n>', 'replications of each variant (overrides both scenarios)', positiveInt)
    .option('-s, --seed <n>', "root seed of both variants (default: A's seed)", integer)
    .option('--set <key.path=value>', 'override a key in both variants (repeatable)', collect, [] as string[])
    .option('--set-b <key.path=value>', 'override a key in variant B only (repeatable)', collect, [] as string[])
    .option('--json', 'print the comparison as JSON on stdout (progress stays on stderr)', false)
    .option('-o, --out <dir>', 'also write comparison.json and comparison.csv into this folder (atomically)')
    .action(async (a: string, b: string | undefined, opts: { replications?: number; seed?: number; set: string[]; setB: string[]; json: boolean; out?: string }) => {
      code = await compareCommand({ a, b, ...opts }, io);
    });

  program
    .command('sweep')
    .description('run a scenario at every point of a parameter grid (same seed) and tabulate the headline metrics')
    .argument('<scenario>', 'scenario YAML file')
    .option('--param <key.path=v1,v2,...>', 'a swept key and its values (repeatable; the grid is every combination)', collect, [] as string[])
    .option('-r, --replications <n>', 'replications per point (overrides the scenario)', positiveInt)
    .option('-s, --seed <n>', 'root seed of every point (overrides the scenario)', integer)
    .option('--set <key.path=value>', 'override a key at every point (repeatable)', collect, [] as string[])
    .option('--json', 'print the rows as JSON on stdout (progress stays on stderr)', false)
    .option('-o, --out <dir>', 'also write sweep.csv into this folder (atomically)')
    .action(async (scenario: string, opts: { param: string[]; replications?: number; seed?: number; set: string[]; json: boolean; out?: string }) => {
      code = await sweepCommand({ scenario, ...opts }, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    return explain(err, io);
  }
  return code;
}

/** A failure nothing below handled: one clear message (and its hint), exit 1; the stack only for what looks like a bug. */
function explain(err: unknown, io: Io): number {
  const e = err instanceof Error ? err : new Error(String(err));
  const hint = (e as { hint?: unknown }).hint;
  const typed = typeof (e as { code?: unknown }).code === 'string';
  io.err(`pitsim: ${e.message}\n`);
  if (typeof hint === 'string' && hint !== '') io.err(`  hint: ${hint}\n`);
  if (!typed && e.stack !== undefined) io.err(`${e.stack}\n`);
  return EXIT.internal;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0 && Number.isFinite(n))) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

function positiveInt(value: string): number {
  const n = integer(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}
