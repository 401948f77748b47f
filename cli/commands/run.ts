/**
 * `pitsim run <scenario>`: validate (scenario and thresholds), run every
 * replication, evaluate the thresholds, print the Report (JSON with --json, a
 * plain summary otherwise) and write it under --out (JSON, CSV, Markdown,
 * each atomically). With --json, stdout carries exactly one JSON document.
 * Exit 99 when a threshold fails, 2 when the input is invalid.
 */
import { reportJson } from '../../reports/write-json.ts';
import { textSummary } from '../../reports/text-summary.ts';
import { evaluateThresholds, parseThreshold, ThresholdError, type ReportWithThresholds, type Threshold } from '../../reports/thresholds.ts';
import { EXIT } from '../exit-codes.ts';
import { executeRun } from '../execute.ts';
import { explainQueueError } from '../queue/errors.ts';
import { executeViaQueue } from '../queue/submit.ts';
import type { Io } from '../io.ts';
import { writeOutputs } from '../write-outputs.ts';
import { runWithDashboard } from '../run-with-ui.ts';
import { tuiWanted } from '../tui-mode.ts';
import { loadOrExplain } from './load-or-explain.ts';

export interface RunArgs {
  scenario: string;
  replications?: number;
  seed?: number;
  set: readonly string[];
  json: boolean;
  out?: string;
  workers?: number;
  /** false with --no-tui */
  tui?: boolean;
  /** Run the replications on pitsim workers through this Redis instead of local threads. */
  queue?: string;
  /** Tests only (not a CLI option): make replication <index> throw or crash its worker. */
  testFaults?: Readonly<Record<number, 'throw' | 'crash'>>;
}

export async function runCommand(args: RunArgs, io: Io): Promise<number> {
  const sets = [...args.set];
  if (args.replications !== undefined) sets.push(`replications=${args.replications}`);
  if (args.seed !== undefined) sets.push(`seed=${args.seed}`);
  const spec = loadOrExplain(args.scenario, sets, io);
  if (typeof spec === 'number') return spec;
  const thresholds = parseThresholds(args.scenario, spec.thresholds, io);
  if (thresholds === null) return EXIT.invalid;
  const decide = (plain: ReportWithThresholds): ReportWithThresholds => {
    const results = evaluateThresholds(plain, thresholds);
    return results.length > 0 ? { ...plain, thresholds: results } : plain;
  };

  if (tuiWanted({ stdoutIsTty: process.stdout.isTTY, env: process.env, json: args.json, noTui: args.tui === false })) {
    const { report, partial } = await runWithDashboard(
      spec,
      {
        scenarioFile: args.scenario,
        ...(args.workers === undefined ? {} : { workers: args.workers }),
        ...(args.queue === undefined ? {} : { queue: args.queue }),
        finalize: (plain) => {
          const report = decide(plain);
          return { report, files: args.out === undefined ? [] : writeOutputs(args.out, report) };
        },
      },
      io,
    );
    if (partial) return EXIT.interrupted;
    return report.thresholds?.some((t) => !t.ok) === true ? EXIT.thresholds : EXIT.ok;
  }

  io.err(`pitsim: ${spec.name}, ${spec.replications} replication${spec.replications === 1 ? '' : 's'}, seed ${spec.seed}\n`);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  let executed;
  let reported = 0;
  // One line per finished replication (progress messages also arrive mid-replication).
  const progress = (p: { done: number; total: number; events: number }, wallMs: number): void => {
    if (p.done === reported) return;
    reported = p.done;
    io.err(`  replication ${p.done}/${p.total} done, ${p.events} events, ${(wallMs / 1000).toFixed(1)} s\n`);
  };
  try {
    if (args.queue !== undefined) {
      const t0 = performance.now();
      executed = await executeViaQueue(spec, {
        scenarioFile: args.scenario,
        url: args.queue,
        signal: abort.signal,
        onProgress: (p) => progress(p, performance.now() - t0),
        onNotice: (t) => io.err(`  ${t}\n`),
      });
    } else {
      executed = await executeRun(spec, {
        scenarioFile: args.scenario,
        ...(args.workers === undefined ? {} : { workers: args.workers }),
        ...(args.testFaults === undefined ? {} : { testFaults: args.testFaults }),
        signal: abort.signal,
        onProgress: (p) => progress(p, p.wallMs),
      });
    }
  } catch (err) {
    const code = explainQueueError(err, io);
    if (code !== null) return code;
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const report = decide(executed.report);
  const results = report.thresholds ?? [];
  if (args.out !== undefined) {
    for (const path of writeOutputs(args.out, report)) io.err(`wrote ${path}\n`);
  }
  io.out(args.json ? reportJson(report) : textSummary(report));
  const failed = results.filter((r) => !r.ok);
  for (const f of failed) io.err(`threshold failed: ${f.expression} (${f.message})\n`);
  if (executed.partial) {
    io.err(`pitsim: interrupted after ${report.run.replicationsDone} of ${spec.replications} replications; the report is marked partial\n`);
    return EXIT.interrupted;
  }
  return failed.length > 0 ? EXIT.thresholds : EXIT.ok;
}

/** Parses every threshold up front so a typo fails before anything runs; null after printing the problems. */
export function parseThresholds(file: string, expressions: readonly string[], io: Io): Threshold[] | null {
  const out: Threshold[] = [];
  let bad = 0;
  expressions.forEach((e, i) => {
    try {
      out.push(parseThreshold(e));
    } catch (err) {
      if (!(err instanceof ThresholdError)) throw err;
      bad++;
      io.err(`${file}: thresholds[${i}]: ${err.message}${err.hint ? `; hint: ${err.hint}` : ''}\n`);
    }
  });
  if (bad > 0) io.err(`${bad} bad threshold${bad === 1 ? '' : 's'} in ${file}; nothing was run.\n`);
  return bad > 0 ? null : out;
}
