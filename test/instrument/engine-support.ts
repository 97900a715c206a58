/** Hand-made edits for driving the engine without the planner. */
import { makeSourceText, type SourceText } from '../../src/core/source-text.js';
import type { PatchKind, TextEdit } from '../../src/instrument/types.js';
import type { SourceFile } from '../../src/io/read-source.js';

/** A SourceFile from exact bytes, as readSourceFile would return it. */
export function sourceFrom(content: string | Buffer, path = 'train.py'): SourceFile {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { path, bytes, ...makeSourceText(bytes.toString('utf8')) };
}

/** Insert whole lines (with the file's eol and the expkit marker) before 1-based `line`. */
export function insertLines(src: SourceText, line: number, lines: string[], kind: PatchKind = 'seed'): TextEdit {
  const start = line - 1 < src.lineStarts.length ? src.lineStarts[line - 1]! : src.text.length;
  const atEndWithoutNewline = start === src.text.length && !src.hasFinalNewline;
  const body = lines.map((l) => `${l}  # expkit`).join(src.eol);
  const text = atEndWithoutNewline ? `${src.eol}${body}` : `${body}${src.eol}`;
  return { start, end: start, text, kind, line, reason: `test insert before line ${line}` };
}
