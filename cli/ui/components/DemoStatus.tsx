/**
 * The demo's top lines: scenario, seed and patient; then the simulated clock
 * (calendar day and time of day), playing or paused, the speed, and how far
 * through the story we are.
 */
import { Box, Text } from 'ink';
import { usePalette } from '../theme.ts';

export interface DemoStatusProps {
  readonly title: string;
  readonly day: string;
  readonly time: string;
  readonly paused: boolean;
  readonly ended: boolean;
  readonly speed: number;
  readonly shown: number;
  readonly total: number;
}

export function DemoStatus({ title, day, time, paused, ended, speed, shown, total }: DemoStatusProps) {
  const c = usePalette();
  const state = ended ? '■ the end' : paused ? '❚❚ paused' : '▶ playing';
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={c.accent}>
          pitsim demo
        </Text>
        {`  ${title}`}
      </Text>
      <Text>
        <Text bold>{`${day}  ${time}`}</Text>
        {'   '}
        <Text color={ended ? c.muted : paused ? c.warn : c.ok}>{state}</Text>
        {`   speed ×${speed}   message ${shown}/${total}`}
      </Text>
    </Box>
  );
}
