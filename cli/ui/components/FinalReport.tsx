/**
 * The final `pitsim run` screen: the Report as tables and charts (flows,
 * failure reasons, latency percentiles, busiest nodes, security, IoT,
 * faults), thresholds passed or failed, and the files written. A partial
 * run (stopped with q or Ctrl-C) says so at the top.
 */
import { Box, Text } from 'ink';
import type { ReportWithThresholds } from '../../../reports/thresholds.ts';
import { count, span } from '../format.ts';
import { usePalette } from '../theme.ts';
import { FailuresSection } from './FailuresSection.tsx';
import { FaultsSection } from './FaultsSection.tsx';
import { FilesSection } from './FilesSection.tsx';
import { FlowsSection } from './FlowsSection.tsx';
import { IotSection } from './IotSection.tsx';
import { NodesSection } from './NodesSection.tsx';
import { PercentilesSection } from './PercentilesSection.tsx';
import { SecuritySection } from './SecuritySection.tsx';
import { ThresholdsSection } from './ThresholdsSection.tsx';

export interface FinalReportProps {
  readonly report: ReportWithThresholds;
  readonly files: readonly string[];
  /** Replications asked for (a partial report has fewer). */
  readonly requested: number;
  readonly columns?: number;
}

export function FinalReport({ report, files, requested, columns = 100 }: FinalReportProps) {
  const c = usePalette();
  const m = report.meta;
  const r = report.run;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const wide = columns >= 110;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={c.accent}>
          {m.scenario}
        </Text>
        {`  ·  seed ${m.seed}  ·  ${plural(m.replications, 'replication')}  ·  ${m.patients} patients  ·  ${span(m.durationMs)} from ${m.startDate}`}
      </Text>
      <Text color={c.muted}>{`${count(r.events)} events in ${(r.wallMs / 1000).toFixed(2)} s (${count(r.eventsPerSec)} events/s) on ${plural(r.workers, 'worker')}`}</Text>
      {r.partial ? (
        <Text color={c.warn} bold>
          {`PARTIAL: stopped after ${r.replicationsDone} of ${requested} replications; figures cover the finished ones only`}
        </Text>
      ) : null}
      <Text> </Text>
      <FlowsSection report={report} />
      <FailuresSection report={report} barWidth={wide ? 30 : 20} />
      <PercentilesSection report={report} barWidth={wide ? 50 : 40} />
      <NodesSection report={report} />
      <SecuritySection report={report} />
      <IotSection report={report} />
      <FaultsSection report={report} />
      <ThresholdsSection thresholds={report.thresholds} />
      <FilesSection files={files} />
    </Box>
  );
}
