/**
 * `pitsim worker --queue redis://host:port [--concurrency N]`: takes
 * replication jobs from Redis (BullMQ) and runs them on this machine until
 * SIGINT/SIGTERM (graceful: the jobs in hand finish; a second signal abandons
 * them and BullMQ gives them to another worker). One line per job on stderr.
 * Exit 0 after a stop, 1 when Redis cannot be reached, 2 for a bad --queue URL.
 *
 * Registration (cli/main.ts), `positiveInt` being main.ts's own parser:
 *
 *   import { workerCommand, type WorkerArgs } from './commands/worker.ts';
 *
 *   program
 *     .command('worker')
 *     .description('take replication jobs from a Redis queue (BullMQ) and run them on this machine, until Ctrl-C')
 *     .requiredOption('--queue <url>', 'the Redis the submitter uses, e.g. redis://127.0.0.1:6379')
 *     .option('-c, --concurrency <n>', 'replications at once on this machine: the threads of its pool (default: available cores)', positiveInt)
 *     .option('--lock-duration <ms>', 'job lock; a killed worker\'s job is retried elsewhere after about this long (default 30000)', positiveInt)
 *     .option('--stalled-interval <ms>', 'how often this worker looks for stalled jobs (default 30000)', positiveInt)
 *     .action(async (opts: WorkerArgs) => {
 *       code = await workerCommand(opts, io);
 *     });
 *
 * and on `pitsim run`:
 *
 *     .option('--queue <url>', 'run the replications on pitsim workers through Redis (redis://host:port) instead of local threads')
 *
 * with `queue?: string` in the action's opts type and in RunArgs; in
 * runCommand, in place of executeRun when args.queue is set (cli/queue/submit.ts):
 *
 *   executed = await executeViaQueue(spec, {
 *     scenarioFile: args.scenario, url: args.queue, signal: abort.signal,
 *     onProgress: (p) => ..., onNotice: (t) => io.err(`  ${t}\n`),
 *   });
 *
 * wrapped in try/catch: `const code = explainQueueError(err, io); if (code !== null) return code; throw err;`
 * (cli/queue/errors.ts). The dashboard takes the same ReplicationsProgress from
 * runViaQueue's onProgress (perWorker = replications in flight on remote workers).
 */
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { explainQueueError, redact } from '../queue/errors.ts';
import { QUEUE_NAME } from '../queue/protocol.ts';
import { startQueueWorker } from '../queue/worker.ts';

export interface WorkerArgs {
  queue: string;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
}

export interface WorkerCommandOptions {
  /** Stops the worker like SIGTERM (tests, embedding). */
  readonly signal?: AbortSignal;
}

export async function workerCommand(args: WorkerArgs, io: Io, options: WorkerCommandOptions = {}): Promise<number> {
  const log = (line: string): void => io.err(`pitsim worker: ${line}\n`);
  let worker;
  try {
    worker = await startQueueWorker({
      url: args.queue,
      ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
      ...(args.lockDuration === undefined ? {} : { lockDurationMs: args.lockDuration }),
      ...(args.stalledInterval === undefined ? {} : { stalledIntervalMs: args.stalledInterval }),
      onLog: log,
    });
  } catch (err) {
    const code = explainQueueError(err, io);
    if (code !== null) return code;
    throw err;
  }
  log(`${worker.name} takes jobs from queue ${QUEUE_NAME} at ${redact(args.queue)}, ${worker.concurrency} at once; Ctrl-C to stop`);

  let signals = 0;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const stop = (): void => {
    signals++;
    if (signals === 1) log('stopping: finishing the jobs in hand (Ctrl-C again to abandon them to other workers)');
    else log('abandoning the jobs in hand: other workers will take them');
    worker.close(signals > 1).then(resolveStopped, resolveStopped);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await stopped;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    options.signal?.removeEventListener('abort', stop);
  }
  log(`stopped after ${worker.processed()} job${worker.processed() === 1 ? '' : 's'}`);
  return EXIT.ok;
}
