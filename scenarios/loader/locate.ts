/**
 * Where a YAML node came from: file, line and column. Nodes of the scenario
 * file map through its LineCounter; nodes grafted in by `--set` carry their own
 * origin (file `--set`, columns shifted to their place in the set string).
 * One Locator per load; it never outlives it.
 */
import { isMap, isPair, isSeq, LineCounter, type Node } from 'yaml';

export interface Origin {
  readonly file: string;
  readonly lines: LineCounter;
  /** Added to columns on the first line (a `--set` value starts after `key=`). */
  readonly columnShift: number;
}

export interface Position {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export class Locator {
  private readonly origins = new WeakMap<object, Origin>();
  constructor(readonly main: Origin) {}

  /** Marks `node` and everything under it as coming from `origin`. */
  adopt(node: unknown, origin: Origin): void {
    if (node === null || typeof node !== 'object') return;
    if (isPair(node)) {
      this.adopt(node.key, origin);
      this.adopt(node.value, origin);
      return;
    }
    this.origins.set(node, origin);
    if (isMap(node) || isSeq(node)) for (const item of node.items) this.adopt(item, origin);
  }

  /** Gives `node` the origin of `like` (for nodes the loader makes up). */
  sameOrigin(node: object, like: object): void {
    const origin = this.origins.get(like);
    if (origin !== undefined) this.origins.set(node, origin);
  }

  /** Position of the start of `node`, plus `offset` characters (into a scalar's text). */
  at(node: Node | null | undefined, offset = 0): Position {
    const origin = (node && this.origins.get(node)) ?? this.main;
    const start = node?.range?.[0] ?? 0;
    return position(origin, start + offset);
  }
}

export function position(origin: Origin, offset: number): Position {
  const p = origin.lines.linePos(offset);
  // linePos reports line 0 when no newline was registered before the offset.
  const line = p.line === 0 ? 1 : p.line;
  const col = p.line === 0 ? offset + 1 : p.col;
  return { file: origin.file, line, column: line === 1 ? col + origin.columnShift : col };
}

/** A LineCounter for a one-line string that was not parsed (a `--set` path). */
export function singleLine(): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  return lines;
}
