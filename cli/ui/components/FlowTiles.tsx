/**
 * The live tiles, one per flow with attempts so far, side by side.
 */
import { Box, Text } from 'ink';
import type { Report } from '../../../reports/report.ts';
import { usePalette } from '../theme.ts';
import { FlowTile } from './FlowTile.tsx';

export function FlowTiles({ report, tileWidth = 20 }: { readonly report: Report | null; readonly tileWidth?: number }) {
  const c = usePalette();
  if (report === null) return <Text color={c.muted}>  flows: waiting for the first replication to finish</Text>;
  const flows = Object.entries(report.flows).filter(([, f]) => f.attempts > 0);
  if (flows.length === 0) return <Text color={c.muted}>  flows: no attempts yet</Text>;
  return (
    <Box flexDirection="row" paddingLeft={2}>
      {flows.map(([name, f]) => (
        <FlowTile key={name} name={name} flow={f} width={tileWidth} />
      ))}
    </Box>
  );
}
