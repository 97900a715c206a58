/** Hand-written patched files for the scope check: lines ending in `# expkit` are the inserted ones. */
import { runPythonCheck } from '../../src/instrument/python-check.js';
import { attributeReads, insertedSpans } from '../../src/instrument/scope-check.js';
import type { PatchKind, TextEdit } from '../../src/instrument/types.js';
import { SYSTEM_PYTHON } from '../support/components.js';

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

/** The unbound reads CPython's scope check finds in the marked lines of `patched`, as "line:name:kind". */
export function unboundIn(patched: string, kinds: Record<number, PatchKind> = {}): string[] {
  const { edits } = editsFromMarked(patched, kinds);
  const spans = insertedSpans(patched, edits);
  const r = runPythonCheck(SYSTEM_PYTHON, Buffer.from(patched, 'utf8'), 'train.py', spans);
  if (r.compile.ok !== true || r.unbound === null) throw new Error(`check did not run: ${JSON.stringify(r)}`);
  return attributeReads(r.unbound, spans).map((u) => `${u.line}:${u.name}:${u.kind}`);
}

/** Strip a common indentation and the first newline, so cases read like the Python they are. */
export function py(strings: TemplateStringsArray): string {
  const text = strings.raw.join('').replace(/^\n/, '');
  const indent = Math.min(...text.split('\n').filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return text.split('\n').map((l) => l.slice(indent)).join('\n');
}
