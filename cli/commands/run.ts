/**
 * `pitsim run <scenario>`: validate, run every replication, print the Report
 * (JSON with --json, a plain summary otherwise) and write it under --out.
 * With --json, stdout carries exactly one JSON document; progress goes to stderr.
 */
import { join } from 'node:path';
import { textSummary } from '../../reports/text-summary.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { EXIT } from '../exit-codes.ts';
import { executeRun } from '../execute.ts';
import type { Io } from '../io.ts';
import { loadOrExplain } from './load-or-explain.ts';

export interface RunArgs {
  scenario: string;
  replications?: number;
  seed?: number;
  set: readonly string[];
  json: boolean;
  out?: string;
}

export function runCommand(args: RunArgs, io: Io): number {
  const sets = [...args.set];
  if (args.replications !== undefined) sets.push(`replications=${args.replications}`);
  if (args.seed !== undefined) sets.push(`seed=${args.seed}`);
  const spec = loadOrExplain(args.scenario, sets, io);
  if (typeof spec === 'number') return spec;

  io.err(`pitsim: ${spec.name}, ${spec.replications} replication${spec.replications === 1 ? '' : 's'}, seed ${spec.seed}\n`);
  const report = executeRun(spec, {
    scenarioFile: args.scenario,
    onProgress: (p) => io.err(`  replication ${p.done}/${p.total} done, ${p.events} events, ${(p.wallMs / 1000).toFixed(1)} s\n`),
  });
  const json = JSON.stringify(report, null, 2) + '\n';
  if (args.out !== undefined) {
    const path = join(args.out, 'report.json');
    writeFileAtomic(path, json);
    io.err(`wrote ${path}\n`);
  }
  io.out(args.json ? json : textSummary(report));
  return EXIT.ok;
}
