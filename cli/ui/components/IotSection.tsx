/**
 * Final report: IoT devices, readings generated, delivered, lost and
 * exfiltrated, alerts and their latency, and personal fields that crossed a
 * border; one line when the scenario has no devices.
 */
import { Text } from 'ink';
import type { Report } from '../../../reports/report.ts';
import { pct, span } from '../format.ts';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';
import { Table } from './Table.tsx';

export function IotSection({ report }: { readonly report: Report }) {
  const c = usePalette();
  const i = report.iot;
  if (i.devices === 0) {
    return (
      <Section title="IoT">
        <Text color={c.muted}>  no devices in this scenario</Text>
      </Section>
    );
  }
  const share = (x: number): string => (i.readingsGenerated === 0 ? '' : pct(x / i.readingsGenerated, 2));
  return (
    <Section title="IoT">
      <Table
        columns={[{ title: 'measure' }, { title: 'value', align: 'right' }, { title: 'share', align: 'right' }]}
        rows={[
          ['devices', String(i.devices), ''],
          ['readings generated', String(i.readingsGenerated), ''],
          ['readings delivered', String(i.readingsDelivered), share(i.readingsDelivered)],
          ['readings lost', { text: String(i.readingsLost), color: i.readingsLost > 0 ? c.warn : undefined }, share(i.readingsLost)],
          ['readings exfiltrated', { text: String(i.readingsExfiltrated), color: i.readingsExfiltrated > 0 ? c.fail : undefined }, share(i.readingsExfiltrated)],
          ['alerts', String(i.alerts), ''],
          ['alert latency p95', i.alertLatencyMs.count === 0 ? '-' : span(i.alertLatencyMs.p95), ''],
          ['personal fields that crossed a border', { text: String(i.personalFieldsCrossed), color: i.personalFieldsCrossed > 0 ? c.warn : undefined }, ''],
        ]}
      />
    </Section>
  );
}
