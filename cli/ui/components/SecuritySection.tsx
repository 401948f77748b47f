/**
 * Final report: the security outcomes (counts over all replications, the
 * revocation lag and the breach exposure window); non-zero counts stand out.
 */
import type { Report } from '../../../reports/report.ts';
import { span } from '../format.ts';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';
import { Table, type Cell } from './Table.tsx';

export function SecuritySection({ report }: { readonly report: Report }) {
  const c = usePalette();
  const s = report.security;
  const n = (x: number): Cell => ({ text: String(x), color: x > 0 ? c.fail : c.ok, bold: x > 0 });
  const lat = (count: number, x: number): string => (count === 0 ? '-' : span(x));
  return (
    <Section title="Security">
      <Table
        columns={[{ title: 'outcome' }, { title: 'value', align: 'right' }]}
        rows={[
          ['patients whose records were exposed', n(s.recordsExposed)],
          ['consent violations', n(s.consentViolations)],
          ['double dispensations', n(s.doubleDispensations)],
          ['audit gaps', n(s.auditGaps)],
          ['break-glass accesses (lawful, audited)', String(s.breakGlassAccesses)],
          ['abuse alerts', String(s.abuseAlerts)],
          ['revocation lag p95', lat(s.revocationLagMs.count, s.revocationLagMs.p95)],
          ['breach exposure window p50', lat(s.exposureWindowMs.count, s.exposureWindowMs.p50)],
        ]}
      />
    </Section>
  );
}
