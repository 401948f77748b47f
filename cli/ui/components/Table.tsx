/**
 * A fixed-width text table: a header row, then rows; each column as wide as
 * its widest cell, left or right aligned, two spaces apart, indented by two.
 * A cell may carry a palette colour; widths ignore colour, so frames line up.
 */
import { Box, Text } from 'ink';

export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
}

export type Cell = string | { readonly text: string; readonly color?: string | undefined; readonly bold?: boolean };

export interface TableProps {
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
}

export function Table({ columns, rows }: TableProps) {
  const text = (c: Cell | undefined): string => (c === undefined ? '' : typeof c === 'string' ? c : c.text);
  const widths = columns.map((col, i) => Math.max(col.title.length, ...rows.map((r) => text(r[i]).length)));
  const pad = (s: string, i: number): string => (columns[i]!.align === 'right' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const last = columns.length - 1;
  const cellOut = (s: string, i: number): string => (i === last && columns[i]!.align !== 'right' ? s : pad(s, i));
  return (
    <Box flexDirection="column">
      <Text bold>{'  ' + columns.map((c, i) => cellOut(c.title, i)).join('  ').trimEnd()}</Text>
      {rows.map((r, ri) => (
        <Text key={ri}>
          {'  '}
          {columns.map((_, i) => {
            const c = r[i];
            const s = cellOut(text(c), i) + (i < last ? '  ' : '');
            return typeof c === 'object' ? (
              <Text key={i} {...(c.color === undefined ? {} : { color: c.color })} bold={c.bold === true}>
                {s}
              </Text>
            ) : (
              <Text key={i}>{s}</Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
}
