/**
 * The scope check's TypeScript half: where the inserted code is (spans CPython can compare
 * its col_offset with) and which patch kind an unbound read belongs to. The analysis itself
 * runs in CPython (python/check-script.ts), which is the authority on what a name means.
 */
import { insertedRanges } from './splice.js';
import type { ByteSpan, UnboundRead } from './python-check.js';
import { EXPKIT_MARKER, type PatchKind, type TextEdit } from './types.js';

export interface EditSpan extends ByteSpan {
  edit: TextEdit;
}

/** An inserted read of a name that is not bound there, with the edit that made it. */
export interface UnboundInsertedRead extends UnboundRead {
  kind: PatchKind;
  edit: TextEdit;
}

/** 1-based line starts as CPython's tokenizer counts lines: \r\n, \r and \n each end one. */
function pythonLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * The inserted text of every edit, per patched line, in UTF-8 byte columns. Only lines that carry
 * the expkit marker count: a user line re-indented inside an inserted try/finally is the user's
 * code (unmarked) and reads what it always read; an edit inside a user line marks that line.
 */
export function insertedSpans(patchedText: string, edits: readonly TextEdit[]): EditSpan[] {
  const starts = pythonLineStarts(patchedText);
  const spans: EditSpan[] = [];
  let line = 0; // index into starts, advanced monotonically: ranges come in text order
  for (const r of insertedRanges(edits)) {
    if (r.end <= r.start) continue;
    while (line + 1 < starts.length && starts[line + 1]! <= r.start) line++;
    for (let l = line; l < starts.length && starts[l]! < r.end; l++) {
      const lineStart = starts[l]!;
      const lineEnd = l + 1 < starts.length ? starts[l + 1]! : patchedText.length;
      const text = patchedText.slice(lineStart, lineEnd);
      if (!text.includes(EXPKIT_MARKER)) continue;
      const from = Math.max(r.start, lineStart);
      const to = Math.min(r.end, lineEnd);
      const start = utf8Length(patchedText.slice(lineStart, from));
      const end = start + utf8Length(patchedText.slice(from, to));
      if (end > start) spans.push({ line: l + 1, start, end, edit: r.edit });
    }
  }
  return spans;
}

/** Each unbound read with the edit whose span holds it (reads outside every span cannot come back, but are dropped if they do). */
export function attributeReads(reads: readonly UnboundRead[], spans: readonly EditSpan[]): UnboundInsertedRead[] {
  const out: UnboundInsertedRead[] = [];
  for (const read of reads) {
    const span = spans.find((s) => s.line === read.line && s.start <= read.col && read.col < s.end);
    if (span) out.push({ ...read, kind: span.edit.kind, edit: span.edit });
  }
  return out;
}

/** The kinds whose inserted code reads an unbound name, each with its first such read, in wandb/seed/checkpoint order. */
export function firstReadPerKind(reads: readonly UnboundInsertedRead[]): UnboundInsertedRead[] {
  return (['wandb', 'seed', 'checkpoint'] as const).flatMap((kind) => reads.filter((r) => r.kind === kind).slice(0, 1));
}

/**
 * Why a kind is not offered. The line is the original's (where the edit lands): the user never
 * sees the patched file of a patch that is not offered.
 */
export function notOfferedReason(read: UnboundInsertedRead): string {
  return `not offered: the patch would read \`${read.name}\` at line ${read.edit.line} where it is not assigned on every path (placement bug; please report the script)`;
}
