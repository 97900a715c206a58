/**
 * Apply a plan's edits to the original text. Pure: everything outside the edited ranges is
 * copied unchanged, so the patched file differs from the original only where the plan says.
 */
import type { SourceText } from '../core/source-text.js';
import type { ByteEdit } from './python-check.js';
import type { TextEdit } from './types.js';

/** The edits in application order: by start, insertions at the same point in the plan's order. */
export function orderEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits
    .map((edit, i) => ({ edit, i }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.i - b.i)
    .map(({ edit }) => edit);
}

/**
 * The patched text (without a BOM). Overlapping or out-of-range edits are a planner bug and
 * throw a plain Error (an internal error, not the user's fault).
 */
export function spliceEdits(src: SourceText, edits: readonly TextEdit[]): string {
  const ordered = orderEdits(edits);
  const parts: string[] = [];
  let at = 0;
  for (const e of ordered) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end < e.start || e.end > src.text.length) {
      throw new Error(`patch planner produced an edit out of range: [${e.start}, ${e.end}) in a text of ${src.text.length} characters (${e.kind}, line ${e.line})`);
    }
    if (e.start < at) {
      throw new Error(`patch planner produced overlapping edits at line ${e.line} (${e.kind}: ${e.reason})`);
    }
    parts.push(src.text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(src.text.slice(at));
  return parts.join('');
}

/** Where each edit's new text lies in the patched text: [start, end) ranges, in order. */
export function insertedRanges(edits: readonly TextEdit[]): { start: number; end: number; edit: TextEdit }[] {
  let shift = 0;
  return orderEdits(edits).map((edit) => {
    const start = edit.start + shift;
    shift += edit.text.length - (edit.end - edit.start);
    return { start, end: start + edit.text.length, edit };
  });
}

/** The file's full decoded content: the BOM put back in front of the text. */
export function withBom(src: Pick<SourceText, 'hasBom'>, text: string): string {
  return src.hasBom ? `\uFEFF${text}` : text;
}

/** The edits in application order, in UTF-8 byte offsets of the file (BOM included): what CPython's check counts. */
export function byteEdits(src: SourceText, edits: readonly TextEdit[]): ByteEdit[] {
  let index = 0; // a UTF-16 index into src.text, advanced in order
  let byte = src.hasBom ? 3 : 0;
  const toByte = (i: number) => {
    byte += Buffer.byteLength(src.text.slice(index, i), 'utf8');
    index = i;
    return byte;
  };
  return orderEdits(edits).map((e) => ({ start: toByte(e.start), end: toByte(e.end), length: Buffer.byteLength(e.text, 'utf8') }));
}
