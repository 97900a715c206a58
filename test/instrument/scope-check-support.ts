/** Hand-written patched files for the scope check: lines ending in `# expkit` are the inserted ones. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSourceText } from '../../src/core/source-text.js';
import { runPythonCheck, type PatchOrigin } from '../../src/instrument/python-check.js';
import { byteEdits } from '../../src/instrument/splice.js';
import { attributeReads, insertedSpans } from '../../src/instrument/scope-check.js';
import type { PatchKind, TextEdit } from '../../src/instrument/types.js';
import { SYSTEM_PYTHON } from '../support/components.js';
import { tempDir } from '../support/temp.js';

/**
 * The edits that turn the unmarked lines into `patched`: one insertion per marked line, at the
 * place it takes in the original. `kinds` maps a marked line's 1-based patched line to its kind (default wandb).
 */
export function editsFromMarked(patched: string, kinds: Record<number, PatchKind> = {}): { original: string; edits: TextEdit[] } {
  const lines = patched.split(/(?<=\n)/);
  let original = '';
  const edits: TextEdit[] = [];
  lines.forEach((line, i) => {
    if (/# expkit\s*$/.test(line)) {
      const at = original.length;
      const originalLine = original.split('\n').length;
      edits.push({ start: at, end: at, text: line, kind: kinds[i + 1] ?? 'wandb', line: originalLine, reason: 'test' });
    } else original += line;
  });
  return { original, edits };
}

/**
 * The unbound reads CPython's scope check finds in the marked lines of `patched`, as "line:name:kind".
 * Checked twice, whole and incrementally from the unmarked original: both must say the same.
 */
export function unboundIn(patched: string, kinds: Record<number, PatchKind> = {}): string[] {
  const { original, edits } = editsFromMarked(patched, kinds);
  const spans = insertedSpans(patched, edits);
  const whole = runPythonCheck(SYSTEM_PYTHON, Buffer.from(patched, 'utf8'), 'train.py', spans);
  if (whole.compile.ok !== true || whole.unbound === null) throw new Error(`check did not run: ${JSON.stringify(whole)}`);
  const found = attributeReads(whole.unbound, spans).map((u) => `${u.line}:${u.name}:${u.kind}`);
  const incremental = runPythonCheck(SYSTEM_PYTHON, Buffer.from(patched, 'utf8'), 'train.py', spans, originOf(original, edits));
  if (incremental.unbound === null) throw new Error(`incremental check did not run: ${JSON.stringify(incremental)}`);
  const again = attributeReads(incremental.unbound, spans).map((u) => `${u.line}:${u.name}:${u.kind}`);
  if (JSON.stringify(again) !== JSON.stringify(found)) {
    throw new Error(`the incremental check (${incremental.mode}) found ${JSON.stringify(again)}, the whole check ${JSON.stringify(found)}`);
  }
  return found;
}

let scratch: string | undefined;
let written = 0;

/** The original written to a file of its own, with the edits in its bytes: what an incremental check starts from. */
export function originOf(original: string | Buffer, edits: readonly TextEdit[]): PatchOrigin {
  scratch ??= tempDir('expkit-scope-');
  const path = join(scratch, `original-${++written}.py`);
  const bytes = typeof original === 'string' ? Buffer.from(original, 'utf8') : original;
  writeFileSync(path, bytes);
  return { original: path, edits: byteEdits(makeSourceText(bytes.toString('utf8')), edits) };
}

/** Strip a common indentation and the first newline, so cases read like the Python they are. */
export function py(strings: TemplateStringsArray): string {
  const text = strings.raw.join('').replace(/^\n/, '');
  const indent = Math.min(...text.split('\n').filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return text.split('\n').map((l) => l.slice(indent)).join('\n');
}
