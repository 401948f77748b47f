/**
 * A titled block of the final report: a bold title line, its content, and
 * one blank line after it, so sections stack with even spacing.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';

export function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>{title}</Text>
      {children}
    </Box>
  );
}
