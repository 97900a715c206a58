/**
 * Changes to a text as tree-sitter's Tree.edit takes them, so a re-parse can reuse the old tree.
 * Both bindings count indices and columns in UTF-16 code units of the JS string.
 */
import { lineAt, type SourceText } from '../core/source-text.js';
import type { Point, TextChange } from './types.js';

export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

function pointAt(src: SourceText, index: number): Point {
  const row = lineAt(src, index) - 1;
  return { row, column: index - src.lineStarts[row]! };
}

/** Where `text` ends when it is inserted at `start`. */
function endOf(start: Point, text: string): Point {
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak < 0) return { row: start.row, column: start.column + text.length };
  let rows = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: text.length - lastBreak - 1 };
}

/**
 * The changes as tree edits, last first: each one is then in the coordinates of `before`, which the
 * edits applied so far have not moved. Insertions at one point keep their order (the first given
 * ends up first).
 */
export function treeEdits(before: SourceText, changes: readonly TextChange[]): TreeEdit[] {
  const ordered = changes
    .map((change, i) => ({ change, i }))
    .sort((a, b) => a.change.start - b.change.start || a.change.end - b.change.end || a.i - b.i)
    .reverse();
  return ordered.map(({ change: c }) => {
    const startPosition = pointAt(before, c.start);
    return {
      startIndex: c.start,
      oldEndIndex: c.end,
      newEndIndex: c.start + c.text.length,
      startPosition,
      oldEndPosition: pointAt(before, c.end),
      newEndPosition: endOf(startPosition, c.text),
    };
  });
}
