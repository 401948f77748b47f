/**
 * Final report: the scenario's faults, with the windows opened and the mean
 * time active per replication. Shown only when the scenario has faults.
 */
import type { Report } from '../../../reports/report.ts';
import { span } from '../format.ts';
import { Section } from './Section.tsx';
import { Table } from './Table.tsx';

export function FaultsSection({ report }: { readonly report: Report }) {
  const faults = Object.entries(report.faults);
  if (faults.length === 0) return null;
  return (
    <Section title="Faults">
      <Table
        columns={[{ title: 'fault' }, { title: 'kind' }, { title: 'target' }, { title: 'windows', align: 'right' }, { title: 'active per replication', align: 'right' }]}
        rows={faults.map(([id, f]) => [id, f.kind, f.target, String(f.windows), span(f.activeMs)])}
      />
    </Section>
  );
}
