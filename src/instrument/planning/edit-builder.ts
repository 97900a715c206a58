/**
 * Building edits that look like the file they land in: its line ending, its indentation unit
 * (tabs or N spaces), and the `# expkit` marker on every inserted line.
 */
import type { SyntaxNode } from '../../parser/index.js';
import { lineAt, lineText, type SourceText } from '../../core/source-text.js';
import { EXPKIT_MARKER, type PatchKind, type TextEdit } from '../types.js';
import { escapeRegExp } from '../../core/regexp.js';

export class EditBuilder {
  readonly edits: TextEdit[] = [];
  /** One level of indentation in this file: a tab, or the smallest space indent used. */
  readonly unit: string;

  constructor(readonly src: SourceText) {
    this.unit = indentUnitOf(src);
  }

  /** Leading whitespace of the line a node starts on. */
  indentOf(node: SyntaxNode): string {
    return leadingWhitespace(lineText(this.src, lineAt(this.src, node.startIndex)));
  }

  /** Lines of code, each marked, indented by `indent` (a line's own leading spaces are levels of `unit`). */
  block(lines: string[], indent: string): string {
    return lines
      .map((l) => {
        if (l === '') return this.src.eol; // blank separator lines carry no marker (no trailing whitespace)
        const extra = l.match(/^( {4})*/)![0].length / 4;
        const body = l.slice(extra * 4);
        return `${indent}${this.unit.repeat(extra)}${body}  ${EXPKIT_MARKER}${this.src.eol}`;
      })
      .join('');
  }

  /** Insert whole lines before the line on which `node` starts. */
  insertBefore(node: SyntaxNode, lines: string[], kind: PatchKind, reason: string, indent = this.indentOf(node)): void {
    const at = this.lineStart(lineAt(this.src, node.startIndex));
    this.add({ start: at, end: at, text: this.block(lines, indent), kind, line: lineAt(this.src, node.startIndex), reason });
  }

  /** Insert whole lines after the last line of `node` (a statement), at its indentation unless given. */
  insertAfter(node: SyntaxNode, lines: string[], kind: PatchKind, reason: string, indent = this.indentOf(node)): void {
    this.insertAfterLine(lineAt(this.src, Math.max(node.startIndex, node.endIndex - 1)), lines, kind, reason, indent);
  }

  /** Insert whole lines after 1-based line `line`. A last line without a newline gets one first. */
  insertAfterLine(line: number, lines: string[], kind: PatchKind, reason: string, indent: string): void {
    const next = this.src.lineStarts[line];
    if (next === undefined) {
      const end = this.src.text.length;
      this.add({ start: end, end, text: this.src.eol + this.block(lines, indent).replace(new RegExp(`${escapeRegExp(this.src.eol)}$`), ''), kind, line, reason });
      return;
    }
    this.add({ start: next, end: next, text: this.block(lines, indent), kind, line: line + 1, reason });
  }

  /** Replace a node's text (an edit inside a line: the line is not marked, the diff shows it). */
  replace(node: SyntaxNode, text: string, kind: PatchKind, reason: string): void {
    this.add({ start: node.startIndex, end: node.endIndex, text, kind, line: lineAt(this.src, node.startIndex), reason });
  }

  /** Insert text at an index inside a line. */
  insertText(index: number, text: string, kind: PatchKind, reason: string): void {
    this.add({ start: index, end: index, text, kind, line: lineAt(this.src, index), reason });
  }

  lineStart(line: number): number {
    return this.src.lineStarts[line - 1] ?? this.src.text.length;
  }

  private add(edit: TextEdit): void {
    this.edits.push(edit);
  }
}

export function leadingWhitespace(line: string): string {
  return line.match(/^[ \t]*/)![0];
}

const unitCache = new WeakMap<SourceText, string>();

/** detectIndentUnit, once per source: a plan makes an edit builder per kind and step, each on the whole file. */
function indentUnitOf(src: SourceText): string {
  let unit = unitCache.get(src);
  if (unit === undefined) {
    unit = detectIndentUnit(src);
    unitCache.set(src, unit);
  }
  return unit;
}

/** The file's indentation unit: a tab if indented lines start with tabs, else the smallest space indent. */
export function detectIndentUnit(src: SourceText): string {
  let tabs = 0;
  let smallest = Infinity;
  for (let i = 1; i <= src.lineStarts.length; i++) {
    const line = lineText(src, i);
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const ws = leadingWhitespace(line);
    if (!ws) continue;
    if (ws.startsWith('\t')) tabs++;
    else if (ws.length < smallest) smallest = ws.length;
  }
  if (tabs > 0 && smallest === Infinity) return '\t';
  if (tabs > 0 && tabs >= 3) return '\t';
  return ' '.repeat(smallest === Infinity ? 4 : smallest);
}
