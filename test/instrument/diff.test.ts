/** The diff written from a plan's edits: exact hunks, and for any edits a diff that makes exactly the patched text. */
import { applyPatch, createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { editsDiff } from '../../src/instrument/diff.js';
import { spliceEdits, withBom } from '../../src/instrument/splice.js';
import type { TextEdit } from '../../src/instrument/types.js';

const edit = (start: number, end: number, text: string): TextEdit => ({ start, end, text, kind: 'wandb', line: 1, reason: 'test' });
const source = (text: string, hasBom = false) => ({ text, hasBom });
const lines = Array.from({ length: 20 }, (_, i) => `x${i} = ${i}\n`).join('');

describe('editsDiff', () => {
  test('3 lines of context and a/ b/ headers', () => {
    const at = lines.indexOf('x11');
    expect(editsDiff('p/t.py', source(lines), [edit(at, at, 'y = 0  # expkit\n')])).toBe(
      '--- a/p/t.py\n+++ b/p/t.py\n@@ -9,6 +9,7 @@\n x8 = 8\n x9 = 9\n x10 = 10\n+y = 0  # expkit\n x11 = 11\n x12 = 12\n x13 = 13\n',
    );
  });

  test('no edits, or edits that change nothing, make no diff', () => {
    expect(editsDiff('t.py', source(lines), [])).toBe('');
    expect(editsDiff('t.py', source(lines), [edit(3, 5, lines.slice(3, 5))])).toBe('');
  });

  test('an edit inside a line replaces the whole line; changes 6 lines apart share a hunk, 7 apart do not', () => {
    const inLine = lines.indexOf(' = 2\n');
    const d = editsDiff('t.py', source(lines), [edit(inLine, inLine, ', z'), edit(lines.indexOf('x9'), lines.indexOf('x9'), 'a = 1\n')]);
    expect(d).toBe('--- a/t.py\n+++ b/t.py\n@@ -1,12 +1,13 @@\n x0 = 0\n x1 = 1\n-x2 = 2\n+x2, z = 2\n x3 = 3\n x4 = 4\n x5 = 5\n x6 = 6\n x7 = 7\n x8 = 8\n+a = 1\n x9 = 9\n x10 = 10\n x11 = 11\n');
    const apart = editsDiff('t.py', source(lines), [edit(inLine, inLine, ', z'), edit(lines.indexOf('x10'), lines.indexOf('x10'), 'a = 1\n')]);
    expect(apart.match(/^@@/gm)).toHaveLength(2);
  });

  test('a file without a final newline: its last line is marked on each side that lacks one', () => {
    const text = 'a = 1\nb = 2';
    expect(editsDiff('t.py', source(text), [edit(text.length, text.length, '\nc = 3  # expkit\n')])).toBe(
      '--- a/t.py\n+++ b/t.py\n@@ -1,2 +1,3 @@\n a = 1\n-b = 2\n\\ No newline at end of file\n+b = 2\n+c = 3  # expkit\n',
    );
    expect(editsDiff('t.py', source(text), [edit(0, 0, 'import os  # expkit\n')])).toBe(
      '--- a/t.py\n+++ b/t.py\n@@ -1,2 +1,3 @@\n+import os  # expkit\n a = 1\n b = 2\n\\ No newline at end of file\n',
    );
  });

  test('a BOM stays on the first line; CRLF lines keep their \\r', () => {
    const text = 'a = 1\r\nb = 2\r\n';
    expect(editsDiff('t.py', source(text, true), [edit(0, 0, 'import os  # expkit\r\n')])).toBe(
      '--- a/t.py\n+++ b/t.py\n@@ -1,2 +1,3 @@\n-\uFEFFa = 1\r\n+\uFEFFimport os  # expkit\r\n+a = 1\r\n b = 2\r\n',
    );
  });

  test('inside a replaced block, the lines kept are context, not removed and added again', () => {
    const text = 'def f():\n    a = 1\n    b = 2\n    return a\n';
    const body = text.indexOf('    a');
    const d = editsDiff('t.py', source(text), [edit(body, text.length, '    try:  # expkit\n        a = 1\n    b = 2\n    return a\n')]);
    expect(d).toBe('--- a/t.py\n+++ b/t.py\n@@ -1,4 +1,5 @@\n def f():\n-    a = 1\n+    try:  # expkit\n+        a = 1\n     b = 2\n     return a\n');
  });

  // Any edits on any text: the diff turns the original into exactly the spliced text, in as many hunks
  // as a whole-file diff (jsdiff) finds. Where equal lines could pair either way the two may align
  // them differently, so only the hunk count is compared.
  test('random edits on random texts (seeded): applying the diff makes the patched text', () => {
    let state = 12345;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const words = ['a', 'b()', '  c = 1', 'd # é', '', 'ünï = 2', 'x\r'];
    for (let round = 0; round < 300; round++) {
      const lineCount = random(15);
      let text = Array.from({ length: lineCount }, () => words[random(words.length)]).join('\n');
      if (random(2) === 0 && text !== '') text += '\n';
      if (text === '') text = 'z\n';
      const points = Array.from({ length: 1 + random(4) }, () => random(text.length + 1)).sort((a, b) => a - b);
      const edits: TextEdit[] = [];
      let last = 0;
      for (const p of points) {
        const start = Math.max(p, last);
        const end = Math.min(text.length, start + random(3) === start ? start : start + random(6));
        const inserted = ['', 'new  # expkit\n', 'q', '\n  r = 2  # expkit\n', 'w\nv'][random(5)]!;
        edits.push(edit(start, end, inserted));
        last = end;
      }
      const src = source(text, random(4) === 0);
      const patched = withBom(src, spliceEdits(src, edits));
      const original = withBom(src, text);
      const diff = editsDiff('t.py', src, edits);
      if (patched === original) {
        expect(diff).toBe('');
        continue;
      }
      expect([round, applyPatch(original, diff)]).toEqual([round, patched]);
      const oracle = createTwoFilesPatch('a/t.py', 'b/t.py', original, patched, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
      expect([round, diff.match(/^@@ -\d+,\d+/gm)?.length]).toEqual([round, oracle.match(/^@@ -\d+,\d+/gm)?.length]);
    }
  });
});
