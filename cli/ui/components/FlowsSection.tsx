/**
 * Final report: the flows table (attempts, successes, success rate with its
 * 95 % interval, latency percentiles). Flows without attempts are left out.
 */
import { Text } from 'ink';
import type { Report } from '../../../reports/report.ts';
import type { Ci95 } from '../../../reports/interval.ts';
import { ms, pct } from '../format.ts';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';
import { Table } from './Table.tsx';

export function FlowsSection({ report }: { readonly report: Report }) {
  const c = usePalette();
  const flows = Object.entries(report.flows).filter(([, f]) => f.attempts > 0);
  const ci = (x: Ci95): string => (x === null ? '-' : `${pct(x[0], 2)}-${pct(x[1], 2)}`);
  return (
    <Section title="Flows">
      {flows.length === 0 ? (
        <Text color={c.muted}>  no attempts</Text>
      ) : (
        <Table
          columns={[{ title: 'flow' }, { title: 'attempts', align: 'right' }, { title: 'ok', align: 'right' }, { title: 'success', align: 'right' }, { title: '95% CI', align: 'right' }, { title: 'p50 ms', align: 'right' }, { title: 'p95 ms', align: 'right' }, { title: 'p99 ms', align: 'right' }]}
          rows={flows.map(([name, f]) => [
            name,
            String(f.attempts),
            String(f.succeeded),
            { text: pct(f.successRate, 2), color: f.successRate >= 0.99 ? c.ok : f.successRate >= 0.9 ? c.warn : c.fail },
            ci(f.ci95.successRate),
            ms(f.latencyMs.p50),
            ms(f.latencyMs.p95),
            ms(f.latencyMs.p99),
          ])}
        />
      )}
    </Section>
  );
}
