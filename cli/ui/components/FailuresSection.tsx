/**
 * Final report: failure reasons per flow as bars (scaled to the most frequent
 * reason of any flow), with counts and the share of the flow's attempts.
 */
import { Text } from 'ink';
import type { Report } from '../../../reports/report.ts';
import { bar, pct } from '../format.ts';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';
import { Table, type Cell } from './Table.tsx';

export function FailuresSection({ report, barWidth = 24 }: { readonly report: Report; readonly barWidth?: number }) {
  const c = usePalette();
  const rows: Cell[][] = [];
  let max = 0;
  for (const f of Object.values(report.flows)) for (const n of Object.values(f.failureReasons)) max = Math.max(max, n);
  for (const [name, f] of Object.entries(report.flows)) {
    const reasons = Object.entries(f.failureReasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    reasons.forEach(([reason, n], i) => {
      rows.push([i === 0 ? name : '', reason, { text: bar(max === 0 ? 0 : n / max, barWidth, ' '), color: c.fail }, String(n), pct(f.attempts === 0 ? 0 : n / f.attempts, 2)]);
    });
  }
  return (
    <Section title="Failure reasons">
      {rows.length === 0 ? (
        <Text color={c.ok}>  none</Text>
      ) : (
        <Table columns={[{ title: 'flow' }, { title: 'reason' }, { title: '' }, { title: 'count', align: 'right' }, { title: 'of attempts', align: 'right' }]} rows={rows} />
      )}
    </Section>
  );
}
