/**
 * Writes a Report into a folder: `report.md`, the CSV tables under `csv/`,
 * then `report.json` last. Every file is rendered before the first write (a
 * writer bug writes nothing) and each is replaced atomically, so no file is
 * ever half-written; a fresh report.json therefore means the set is complete.
 * A `csv/thresholds.csv` left by an earlier run with thresholds is removed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { reportCsv } from '../reports/write-csv.ts';
import { reportJson } from '../reports/write-json.ts';
import { reportMarkdown } from '../reports/write-markdown.ts';
import type { ReportWithThresholds } from '../reports/thresholds.ts';
import { writeFileAtomic } from './atomic-write.ts';

export type OutputFormat = 'json' | 'csv' | 'md';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'csv', 'md'];

/** A write failed part-way; `written` lists the files already (fully) replaced. */
export class OutputWriteError extends Error {
  readonly code = 'OUTPUT_WRITE';
  constructor(
    readonly path: string,
    readonly written: readonly string[],
    readonly hint: string,
    cause: unknown,
  ) {
    super(`cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'OutputWriteError';
  }
}

/** Writes the chosen formats (all by default) into `dir` and returns the paths written, in write order. */
export function writeOutputs(dir: string, report: ReportWithThresholds, formats: readonly OutputFormat[] = OUTPUT_FORMATS): string[] {
  const want = new Set(formats);
  const files: [string, string][] = [];
  if (want.has('md')) files.push([join(dir, 'report.md'), reportMarkdown(report)]);
  if (want.has('csv')) for (const [name, text] of Object.entries(reportCsv(report))) files.push([join(dir, 'csv', name), text]);
  if (want.has('json')) files.push([join(dir, 'report.json'), reportJson(report)]);

  const stale = want.has('csv') && !files.some(([p]) => p.endsWith('thresholds.csv')) ? join(dir, 'csv', 'thresholds.csv') : undefined;

  const written: string[] = [];
  for (const [path, text] of files) {
    try {
      if (stale !== undefined && path === join(dir, 'report.json')) rmSync(stale, { force: true });
      writeFileAtomic(path, text);
    } catch (err) {
      const hint = written.length === 0 ? 'nothing was written; check that the folder is writable and the disk has space' : `files already replaced: ${written.join(', ')}; the others are unchanged`;
      throw new OutputWriteError(path, written, hint, err);
    }
    written.push(path);
  }
  return written;
}
