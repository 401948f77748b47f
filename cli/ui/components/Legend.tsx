/**
 * The demo's legend: what the arrow styles mean, and the keys.
 */
import { Box, Text } from 'ink';
import { usePalette } from '../theme.ts';

export function Legend({ iot = false }: { readonly iot?: boolean }) {
  const c = usePalette();
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={c.request}>──▶</Text>
        {' request   '}
        <Text color={c.response}>◀──</Text>
        {' answer   '}
        <Text color={c.local}>◀┄┄▶</Text>
        {' lookup inside A   '}
        <Text color={c.fail}>✗╌╌</Text>
        {' failure: ✗ where it happened, code at right'}
      </Text>
      {iot ? <Text color={c.muted}>the patient's device is drawn on the Patient lane, the home health platform on National</Text> : null}
      <Text color={c.muted}>keys: space pause/resume   → step one message   + / - speed   r restart   q quit</Text>
    </Box>
  );
}
