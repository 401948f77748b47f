/**
 * Final report: the busiest nodes (top `limit` by utilisation, ties by id)
 * with a utilisation bar, availability, queue wait p95 and requests served.
 */
import { Text } from 'ink';
import type { Report } from '../../../reports/report.ts';
import { bar, ms, pct } from '../format.ts';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';
import { Table } from './Table.tsx';

export function NodesSection({ report, limit = 8, barWidth = 20 }: { readonly report: Report; readonly limit?: number; readonly barWidth?: number }) {
  const c = usePalette();
  const all = Object.entries(report.nodes);
  const nodes = all.sort((a, b) => b[1].utilisation - a[1].utilisation || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  return (
    <Section title={`Nodes (top ${nodes.length} of ${all.length} by utilisation)`}>
      {nodes.length === 0 ? (
        <Text color={c.muted}>  no nodes</Text>
      ) : (
        <Table
          columns={[{ title: 'node' }, { title: 'utilisation' }, { title: '', align: 'right' }, { title: 'availability', align: 'right' }, { title: 'wait p95 ms', align: 'right' }, { title: 'served', align: 'right' }]}
          rows={nodes.map(([id, n]) => [
            id,
            { text: bar(n.utilisation, barWidth, '·'), color: n.utilisation >= 0.8 ? c.fail : n.utilisation >= 0.5 ? c.warn : c.ok },
            pct(n.utilisation),
            { text: pct(n.availability, 2), color: n.availability < 0.999 ? c.warn : undefined },
            ms(n.waitMs.p95),
            String(n.served),
          ])}
        />
      )}
    </Section>
  );
}
