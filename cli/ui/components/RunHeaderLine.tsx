/**
 * The dashboard's first line: which scenario, seed, replications and workers.
 */
import { Text } from 'ink';
import type { RunHeader } from '../dashboard-state.ts';
import { usePalette } from '../theme.ts';

export function RunHeaderLine({ header }: { readonly header: RunHeader }) {
  const c = usePalette();
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  return (
    <Text>
      <Text bold color={c.accent}>
        pitsim run
      </Text>
      {`  ${header.scenario}  ·  seed ${header.seed}  ·  ${plural(header.replications, 'replication')}  ·  ${plural(header.workers, 'worker')}`}
    </Text>
  );
}
