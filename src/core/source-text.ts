/**
 * A Python source file's text as read, with the facts patches must preserve: BOM, line
 * endings, final newline. Positions are UTF-16 indices into `text` (what tree-sitter's JS
 * bindings report); lines are 1-based, columns 1-based in code points.
 */
export interface SourceText {
  /** The text without a leading BOM: what is parsed. */
  readonly text: string;
  readonly hasBom: boolean;
  /** The dominant line ending, for inserted lines. */
  readonly eol: '\n' | '\r\n';
  readonly hasFinalNewline: boolean;
  /** Start index of each line (line 1 at index 0). */
  readonly lineStarts: readonly number[];
}

export function makeSourceText(decoded: string): SourceText {
  const hasBom = decoded.charCodeAt(0) === 0xfeff;
  const text = hasBom ? decoded.slice(1) : decoded;
  const lineStarts = [0];
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      lineStarts.push(i + 1);
      if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
      else lf++;
    }
  }
  return { text, hasBom, eol: crlf > lf ? '\r\n' : '\n', hasFinalNewline: text.endsWith('\n'), lineStarts };
}

/** 1-based line of a UTF-16 index. */
export function lineAt(src: SourceText, index: number): number {
  let lo = 0;
  let hi = src.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (src.lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** 1-based column in code points of a UTF-16 index. */
export function columnAt(src: SourceText, index: number): number {
  const start = src.lineStarts[lineAt(src, index) - 1]!;
  let column = 1;
  for (let i = start; i < index; i++) {
    const c = src.text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++; // a surrogate pair is one character
    column++;
  }
  return column;
}

/** The text of a 1-based line, without its line ending. */
export function lineText(src: SourceText, line: number): string {
  const start = src.lineStarts[line - 1];
  if (start === undefined) return '';
  const next = src.lineStarts[line];
  let end = next === undefined ? src.text.length : next - 1;
  if (end > start && src.text.charCodeAt(end - 1) === 13) end--;
  return src.text.slice(start, end);
}

export function lineCount(src: SourceText): number {
  return src.hasFinalNewline ? src.lineStarts.length - 1 : src.lineStarts.length;
}
