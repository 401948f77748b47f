/**
 * The demo's narration box: one plain-language sentence about the message on
 * screen (a failure in the failure colour, with its reason and meaning).
 */
import { Box, Text } from 'ink';
import { usePalette } from '../theme.ts';

export function Narration({ text, failure = false, width }: { readonly text: string; readonly failure?: boolean; readonly width: number }) {
  const c = usePalette();
  return (
    <Box borderStyle="round" width={width} paddingX={1}>
      <Text color={failure ? c.fail : undefined} wrap="wrap">
        {text}
      </Text>
    </Box>
  );
}
