/**
 * The unified diff the user reviews (the path it names: paths.ts), written from the plan's edits:
 * the text outside the edits is unchanged by construction, so only the lines the edits touch are
 * compared. Diffing the whole file again (Myers over every line) cost more than planning a patch
 * of a long script, and the edits already say where the changes are.
 */
import type { SourceText } from '../core/source-text.js';
import { orderEdits, withBom } from './splice.js';
import type { TextEdit } from './types.js';

/** Lines of context around each change: what `git apply` needs to place a hunk. */
export const DIFF_CONTEXT = 3;

/** Above this many line pairs, a changed region is shown as removed and added whole (no alignment inside). */
const ALIGN_LIMIT = 1_000_000;

/** A run of changed lines: `oldLines` of the original from line index `oldStart` become `newLines`. Lines keep their terminators. */
interface Change {
  oldStart: number;
  oldLines: string[];
  newLines: string[];
}

/**
 * A `git apply`-able unified diff from `src` to `src` with `edits` applied (BOM included in both),
 * with `a/PATH` and `b/PATH` headers and 3 lines of context. Empty when nothing changes.
 */
export function editsDiff(displayPath: string, src: Pick<SourceText, 'text' | 'hasBom'>, edits: readonly TextEdit[]): string {
  const before = withBom(src, src.text);
  const shift = before.length - src.text.length;
  const lines = splitLines(before);
  const starts = lineStarts(lines);
  const changes = changedRegions(before, starts, orderEdits(edits), shift).flatMap((r) => alignRegion(r));
  if (changes.length === 0) return '';
  return `--- a/${displayPath}\n+++ b/${displayPath}\n${hunks(lines, changes).join('')}`;
}

/** The lines of `text`, each with its terminator (the last one may have none). */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/** Offset of each line's start, plus the text's length at the end. */
function lineStarts(lines: readonly string[]): number[] {
  const starts = [0];
  for (const line of lines) starts.push(starts[starts.length - 1]! + line.length);
  return starts;
}

/** Index of the line holding `offset` (the line count for the end of a text that ends with a newline). */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The edits grown to whole lines and merged where they share one: each region's original lines and
 * what they become. An edit whose text does not end a line takes in the rest of the line it ends on.
 */
function changedRegions(before: string, starts: readonly number[], edits: readonly TextEdit[], shift: number): Change[] {
  const regions: Array<{ from: number; to: number; edits: TextEdit[] }> = [];
  const lineCount = starts.length - 1;
  // The end of a text without a final newline belongs to its last line.
  const lineOf = (offset: number): number => Math.min(lineAt(starts, offset), before.endsWith('\n') || lineCount === 0 ? lineCount : lineCount - 1);
  for (const edit of edits) {
    const start = edit.start + shift;
    const end = edit.end + shift;
    const first = lineOf(start);
    let last = lineOf(end);
    // The region ends at a line start; an edit ending inside a line, or one whose new text leaves the
    // next line joined to it, takes that line in.
    const endsLine = starts[last] === end && (before.slice(starts[first], start) + edit.text === '' || (before.slice(starts[first], start) + edit.text).endsWith('\n'));
    if (!endsLine && last < lineCount) last += 1;
    const from = starts[first]!;
    const to = starts[Math.max(last, first)]!;
    const open = regions[regions.length - 1];
    if (open && from <= open.to) {
      open.to = Math.max(open.to, to);
      open.edits.push(edit);
    } else {
      regions.push({ from, to, edits: [edit] });
    }
  }
  return regions.map(({ from, to, edits: inRegion }) => {
    let text = '';
    let at = from;
    for (const e of inRegion) {
      text += before.slice(at, e.start + shift) + e.text;
      at = e.end + shift;
    }
    text += before.slice(at, to);
    return { oldStart: lineAt(starts, from), oldLines: splitLines(before.slice(from, to)), newLines: splitLines(text) };
  });
}

/** One region's lines aligned: the lines both sides keep are context, the rest changes (longest common subsequence). */
function alignRegion(region: Change): Change[] {
  const { oldLines: a, newLines: b } = region;
  if (a.length * b.length > ALIGN_LIMIT) return a.length + b.length > 0 ? [region] : [];
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = a[i] === b[j] ? common[(i + 1) * width + j + 1]! + 1 : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const out: Change[] = [];
  let open: Change | null = null;
  const change = (i: number): Change => {
    open ??= { oldStart: region.oldStart + i, oldLines: [], newLines: [] };
    return open;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      if (open) out.push(open);
      open = null;
      i++;
      j++;
    } else if (j < b.length && (i === a.length || common[i * width + j + 1]! >= common[(i + 1) * width + j]!)) {
      change(i).newLines.push(b[j++]!);
    } else {
      change(i).oldLines.push(a[i++]!);
    }
  }
  if (open) out.push(open);
  return out;
}

/** The hunks: changes closer than twice the context share one. */
function hunks(lines: readonly string[], changes: readonly Change[]): string[] {
  const out: string[] = [];
  let delta = 0;
  let k = 0;
  while (k < changes.length) {
    let last = k;
    while (last + 1 < changes.length && changes[last + 1]!.oldStart - end(changes[last]!) <= 2 * DIFF_CONTEXT) last++;
    const from = Math.max(0, changes[k]!.oldStart - DIFF_CONTEXT);
    const to = Math.min(lines.length, end(changes[last]!) + DIFF_CONTEXT);
    const body: string[] = [];
    let newCount = 0;
    let at = from;
    const newFrom = from + delta;
    for (let c = k; c <= last; c++) {
      const { oldStart, oldLines, newLines } = changes[c]!;
      for (; at < oldStart; at++, newCount++) body.push(diffLine(' ', lines[at]!));
      for (const line of oldLines) body.push(diffLine('-', line));
      for (const line of newLines) body.push(diffLine('+', line));
      at += oldLines.length;
      newCount += newLines.length;
      delta += newLines.length - oldLines.length;
    }
    for (; at < to; at++, newCount++) body.push(diffLine(' ', lines[at]!));
    const oldCount = to - from;
    // An empty range names the line before it (`-0,0` at the top of a file).
    out.push(`@@ -${oldCount === 0 ? from : from + 1},${oldCount} +${newCount === 0 ? newFrom : newFrom + 1},${newCount} @@\n`, ...body);
    k = last + 1;
  }
  return out;
}

function end(change: Change): number {
  return change.oldStart + change.oldLines.length;
}

/** One diff line; a line without a terminator (the file's last) is marked as git marks it. */
function diffLine(sign: string, line: string): string {
  return line.endsWith('\n') ? `${sign}${line}` : `${sign}${line}\n\\ No newline at end of file\n`;
}
