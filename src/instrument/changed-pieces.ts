/**
 * The parts of a patched text that are not the original's: the text between the original's
 * top-level statements that no edit touches. A top-level statement (on lines of its own, after a
 * complete statement) parses the same wherever it stands, so a parser that found no error in the
 * original need only read these pieces (the same idea as the CPython check's, python/check-script.ts).
 * Pure: positions are UTF-16 indices, as tree-sitter's JS bindings count them.
 */
import { lineAt, type SourceText } from '../core/source-text.js';
import type { SyntaxNode } from '../parser/index.js';
import { orderEdits } from './splice.js';
import type { TextEdit } from './types.js';

export interface Range {
  start: number;
  end: number;
}

/** The original's top-level statements (and comments), grouped on whole lines: [start, end) of the original text. */
export function topLevelUnits(src: SourceText, root: SyntaxNode): Range[] {
  const lineStart = (line: number) => src.lineStarts[line - 1] ?? src.text.length;
  const units: Range[] = [];
  for (const child of root.children) {
    if (child.endIndex <= child.startIndex) continue;
    const start = lineStart(lineAt(src, child.startIndex));
    const end = lineStart(lineAt(src, child.endIndex - 1) + 1);
    const last = units[units.length - 1];
    if (last && start < last.end) last.end = Math.max(last.end, end);
    else units.push({ start, end });
  }
  return units;
}

/**
 * The pieces of `patched` (the original with `edits`) that must be parsed: everything but the
 * units no edit touches, and less the stretches between two such units that are as they were
 * (blank lines). A unit counts only when its text is found unchanged, on lines of its own, where
 * the edits put it.
 */
export function changedPieces(src: SourceText, units: readonly Range[], edits: readonly TextEdit[], patched: string): Range[] {
  const ordered = orderEdits(edits);
  const kept: { index: number; start: number; end: number }[] = [];
  let k = 0;
  let delta = 0;
  units.forEach((u, index) => {
    while (k < ordered.length && ordered[k]!.end <= u.start) {
      const e = ordered[k]!;
      delta += e.text.length - (e.end - e.start);
      k++;
    }
    if (k < ordered.length && ordered[k]!.start < u.end) return; // an edit inside
    const start = u.start + delta;
    const end = start + (u.end - u.start);
    if (patched.slice(start, end) !== src.text.slice(u.start, u.end)) return;
    if (start > 0 && patched[start - 1] !== '\n') return;
    if (end < patched.length && patched[end - 1] !== '\n') return;
    kept.push({ index, start, end });
  });
  const pieces: Range[] = [];
  let at = 0;
  for (let i = 0; i <= kept.length; i++) {
    const next = kept[i];
    const gapEnd = next ? next.start : patched.length;
    if (gapEnd > at && !unchangedGap(src, units, kept[i - 1]?.index ?? -1, next?.index ?? units.length, patched.slice(at, gapEnd))) {
      pieces.push({ start: at, end: gapEnd });
    }
    if (next) at = next.end;
  }
  return pieces;
}

/** Whether `gap` is exactly the original's text between units `before` and `after`, with no unit between them. */
function unchangedGap(src: SourceText, units: readonly Range[], before: number, after: number, gap: string): boolean {
  if (after !== before + 1) return false;
  const start = before >= 0 ? units[before]!.end : 0;
  const end = after < units.length ? units[after]!.start : src.text.length;
  return src.text.slice(start, end) === gap;
}

/** Whether a piece can be parsed on its own: its first line with code does not start indented (it would continue the statement above). */
export function standsAlone(piece: string): boolean {
  const firstCode = /^(?![ \t]*(?:#.*)?\r?$)/m.exec(piece);
  return !firstCode || !/^[ \t\f]/.test(piece.slice(firstCode.index));
}
