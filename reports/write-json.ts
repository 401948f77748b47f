/**
 * The Report as JSON: what `--json` prints and `report.json` holds. Two-space
 * indent, keys in the Report's own (deterministic) order, one trailing
 * newline, so the same Report always gives the same bytes.
 */
import type { ReportWithThresholds } from './thresholds.ts';

export function reportJson(report: ReportWithThresholds): string {
  return JSON.stringify(report, null, 2) + '\n';
}
