/** The engine from hand-made edits: diff headers, git-apply-ability for every kind of file, validation. */
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPatch, type BuildContext } from '../../src/instrument/engine.js';
import { displayPathFor } from '../../src/instrument/paths.js';
import { pythonCompile, validatePatched } from '../../src/instrument/validate.js';
import type { TextEdit } from '../../src/instrument/types.js';
import type { PythonParser } from '../../src/parser/index.js';
import { describeWith, SYSTEM_PYTHON } from '../support/components.js';
import { fixturePath } from '../support/fixtures.js';
import { insertLines, planOf, script, SHAPES, sourceFrom, testParser, threeEdits } from './engine-support.js';
import { tempDir } from '../support/temp.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await testParser();
});

const ctx = (python: string | null = null): BuildContext => ({ parser, displayPath: 'src/train.py', python });
const plan = planOf;

async function gitApply(dir: string, diff: string, ...flags: string[]): Promise<{ exitCode: number; stderr: string }> {
  const r = await execa('git', ['apply', ...flags, '-'], { cwd: dir, input: diff, reject: false });
  return { exitCode: r.exitCode ?? -1, stderr: String(r.stderr) };
}

describe('buildPatch + git apply', () => {
  test.each(SHAPES)('%s: the diff applies to the original, reverses on the patched file, and keeps every other byte', async (_name, bytes) => {
    const { src, edits } = threeEdits(bytes);
    const built = await buildPatch(src, plan(edits), ctx());
    expect(built.diff.startsWith('--- a/src/train.py\n+++ b/src/train.py\n@@ ')).toBe(true);

    const dir = tempDir('expkit-engine-');
    mkdirSync(join(dir, 'src'));
    const file = join(dir, 'src', 'train.py');
    writeFileSync(file, bytes);
    expect(await gitApply(dir, built.diff, '--check')).toMatchObject({ exitCode: 0 });
    expect(await gitApply(dir, built.diff)).toMatchObject({ exitCode: 0 });
    expect(readFileSync(file).equals(built.after)).toBe(true);
    expect(await gitApply(dir, built.diff, '-R', '--check')).toMatchObject({ exitCode: 0 });
    expect(await gitApply(dir, built.diff, '-R')).toMatchObject({ exitCode: 0 });
    expect(readFileSync(file).equals(bytes)).toBe(true);

    // Removing the inserted lines from the patched bytes gives the original back exactly.
    const inserted = new Set(edits.map((e) => e.text));
    let stripped = built.after.toString('utf8');
    for (const t of inserted) stripped = stripped.replace(t, '');
    expect(Buffer.from(stripped, 'utf8').equals(bytes)).toBe(true);
    expect(built.after.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(src.hasBom);
  });

  test.each(['crlf_tabs_unicode.py', 'no_final_newline.py'])('fixture %s: an insertion at the top round-trips through git apply', async (name) => {
    const bytes = readFileSync(fixturePath(name));
    const src = sourceFrom(bytes);
    const built = await buildPatch(src, plan([insertLines(src, 1, ['import random'])]), ctx());
    const dir = tempDir('expkit-engine-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'train.py'), bytes);
    expect(await gitApply(dir, built.diff, '--check')).toMatchObject({ exitCode: 0 });
    writeFileSync(join(dir, 'src', 'train.py'), built.after);
    expect(await gitApply(dir, built.diff, '-R', '--check')).toMatchObject({ exitCode: 0 });
  });

  test('an empty plan builds an empty diff and leaves the bytes alone', async () => {
    const src = sourceFrom(script({}));
    const built = await buildPatch(src, plan([]), ctx());
    expect(built.diff).toBe('');
    expect(built.after.equals(src.bytes)).toBe(true);
  });
});

describe('displayPathFor', () => {
  test('relative to the git root inside a repository, else to the working directory', async () => {
    const repo = tempDir('expkit-repo-');
    await execa('git', ['init', '-q'], { cwd: repo });
    mkdirSync(join(repo, 'a', 'b'), { recursive: true });
    writeFileSync(join(repo, 'a', 'b', 't.py'), 'x = 1\n');
    expect(displayPathFor('t.py', join(repo, 'a', 'b'))).toBe('a/b/t.py');
    expect(displayPathFor(join(repo, 'a', 'b', 't.py'), tmpdir())).toBe('a/b/t.py');

    const plain = tempDir('expkit-plain-');
    mkdirSync(join(plain, 'sub'));
    writeFileSync(join(plain, 'sub', 't.py'), 'x = 1\n');
    expect(displayPathFor('sub/t.py', plain)).toBe('sub/t.py');
    symlinkSync(join(plain, 'sub', 't.py'), join(plain, 'link.py'));
    // A symlink is shown as its target: that is the file a patch changes.
    expect(displayPathFor('link.py', plain)).toBe('sub/t.py');
  });
});

describe('validation with tree-sitter', () => {
  test('an edit that breaks the syntax is refused with its line in the patched file', async () => {
    const src = sourceFrom(script({}));
    const broken = insertLines(src, 6, ['    if True'], 'seed');
    await expect(buildPatch(src, plan([broken]), ctx())).rejects.toThrow(/the patched src\/train\.py would not compile \(line 6 of the patched file: syntax error\)/);
  });

  test('errors the original already had do not block a patch elsewhere', async () => {
    const src = sourceFrom('import os\n\ndef f(:\n    pass\n\nx = 1\n');
    const built = await buildPatch(src, plan([insertLines(src, 1, ['import random'])]), ctx());
    expect(built.diff).toContain('+import random  # expkit');
  });
});

describeWith('python3', existsSync(SYSTEM_PYTHON))('validation with CPython', () => {
  test('compile() catches what tree-sitter accepts: an empty block', async () => {
    const src = sourceFrom(script({}));
    // tree-sitter accepts a block-less `if` at the end of a function; CPython does not.
    const edit: TextEdit = { ...insertLines(src, 8, ['    if True:']), kind: 'checkpoint' };
    await expect(buildPatch(src, plan([edit]), ctx(null))).resolves.toBeDefined();
    let message = '';
    try {
      await buildPatch(src, plan([edit]), ctx(SYSTEM_PYTHON));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^the patched src\/train\.py would not compile \(line \d+ of the patched file: .+\); nothing was changed$/);
  });

  test('pythonCompile reads the bytes (BOM, coding) and reports the line', () => {
    expect(pythonCompile(SYSTEM_PYTHON, Buffer.from('\uFEFFx = "é"\n'), 't.py')).toEqual({ ok: true });
    expect(pythonCompile(SYSTEM_PYTHON, Buffer.from('x = 1\ndef f(:\n'), 't.py')).toMatchObject({ ok: false, line: 2 });
    expect(pythonCompile('/nonexistent/python3', Buffer.from('x = 1\n'), 't.py')).toMatchObject({ ok: null });
  });

  test('when the original does not compile either, the patch is offered with a note', async () => {
    const src = sourceFrom('x = 1\n\tif True:\n  y = 2\n');
    const { notes } = await validatePatched({
      parser,
      original: src,
      edits: [],
      patchedText: src.text,
      patchedBytes: src.bytes,
      path: 't.py',
      python: SYSTEM_PYTHON,
    });
    expect(notes.join('\n')).toMatch(/cannot compile the original either/);
  });

  test.each(SHAPES)('%s: the patched script compiles', async (_name, bytes) => {
    const { src, edits } = threeEdits(bytes);
    expect((await buildPatch(src, plan(edits), ctx(SYSTEM_PYTHON))).notes).toEqual([]);
  });
});
