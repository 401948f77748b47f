/**
 * Final report: the files written, in write order, or how to get them.
 */
import { Text } from 'ink';
import { usePalette } from '../theme.ts';
import { Section } from './Section.tsx';

export function FilesSection({ files }: { readonly files: readonly string[] }) {
  const c = usePalette();
  return (
    <Section title="Files written">
      {files.length === 0 ? <Text color={c.muted}>  none (--out DIR writes report.md, csv/ and report.json)</Text> : files.map((f) => <Text key={f}>{`  ${f}`}</Text>)}
    </Section>
  );
}
