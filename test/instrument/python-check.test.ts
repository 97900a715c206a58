/** The CPython check process: started ahead, fed later, and never left behind. */
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pythonCheck, runPythonCheck, StartedPythonCheck, type PythonCheck } from '../../src/instrument/python-check.js';
import { insertedSpans } from '../../src/instrument/scope-check.js';
import { describeWith, SYSTEM_PYTHON } from '../support/components.js';
import { REPO_ROOT } from '../support/cli.js';
import { editsFromMarked, originOf, py } from './scope-check-support.js';

/** Whether process `pid` is gone (or a zombie no longer running) within a generous wait. */
async function ended(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      if (/^\d+ \(.*\) Z/.test(stat)) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const PATCHED = 'import os\nprint(os.sep, missing)  # expkit\n';
const SPANS = [{ line: 2, start: 0, end: Buffer.byteLength('print(os.sep, missing)  # expkit') }];

describeWith('python3', existsSync(SYSTEM_PYTHON))('a check process started ahead', () => {
  test('gives the same verdict as a blocking check, once it is fed the file', async () => {
    const started = StartedPythonCheck.start(SYSTEM_PYTHON, 't.py');
    // It waits on stdin: nothing happens until run().
    await new Promise((r) => setTimeout(r, 50));
    expect(started.available).toBe(true);
    const r = await started.run(Buffer.from(PATCHED), SPANS);
    expect(started.available).toBe(false);
    expect(r).toEqual(runPythonCheck(SYSTEM_PYTHON, Buffer.from(PATCHED), 't.py', SPANS));
    expect(r.unbound).toEqual([{ line: 2, col: 14, name: 'missing' }]);
    await expect(started.run(Buffer.from(PATCHED), SPANS)).rejects.toThrow(/runs once/);
  });

  test('a file that does not compile, and one with a BOM, read as bytes', async () => {
    expect((await pythonCheck(SYSTEM_PYTHON, Buffer.from('x = 1\ndef f(:\n'), 't.py')).compile).toMatchObject({ ok: false, line: 2 });
    expect((await pythonCheck(SYSTEM_PYTHON, Buffer.from('\uFEFFx = "é"\n'), 't.py')).compile).toEqual({ ok: true });
  });

  test('an interpreter that does not exist: the check says it did not run (no rejection)', async () => {
    const r = await pythonCheck('/nonexistent/python3', Buffer.from('x = 1\n'), 't.py');
    expect(r.compile).toMatchObject({ ok: null, reason: expect.stringMatching(/^\/nonexistent\/python3 did not run: .*ENOENT/) });
    expect(r.unbound).toBeNull();
  });

  test('a process never fed does not keep Node running, and ends with it', async () => {
    const module = pathToFileURL(join(REPO_ROOT, 'dist', 'instrument', 'python-check.js')).href;
    const child = `
      const { StartedPythonCheck } = await import(${JSON.stringify(module)});
      const started = StartedPythonCheck.start(${JSON.stringify(SYSTEM_PYTHON)}, 't.py');
      process.stdout.write(String(started.pid));
    `;
    // Without the unref, this Node would wait for Python forever (Python waits for stdin) and execa would time out.
    const r = await execa(process.execPath, ['--input-type=module', '-e', child], { timeout: 20_000, reject: false });
    expect([r.exitCode, r.timedOut]).toEqual([0, false]);
    expect(await ended(Number(r.stdout))).toBe(true);
  });

  test('started early, before the file is known: the next start takes it, with the paths sent on its first line', async () => {
    const { original, edits } = originOf(Buffer.from('import os\n'), [{ start: 10, end: 10, text: 'print(os.sep, missing)  # expkit\n', kind: 'wandb', line: 2, reason: 'test' }]);
    StartedPythonCheck.startEarly(SYSTEM_PYTHON);
    // Any character may be in a path: the names travel as hex.
    const taken = StartedPythonCheck.start(SYSTEM_PYTHON, 'dir/ünï code\n.py', original);
    const next = StartedPythonCheck.start(SYSTEM_PYTHON, 't.py');
    expect(next.pid).not.toBe(taken.pid);
    next.cancel();
    expect(taken.path).toBe('dir/ünï code\n.py');
    const r = await taken.run(Buffer.from(PATCHED), SPANS, edits);
    expect(r).toMatchObject({ compile: { ok: true }, mode: 'incremental', unbound: [{ line: 2, col: 14, name: 'missing' }] });
  });

  test('an early start after a check has started does nothing', async () => {
    const module = pathToFileURL(join(REPO_ROOT, 'dist', 'instrument', 'python-check.js')).href;
    const child = `
      const { execFileSync } = await import('node:child_process');
      const { StartedPythonCheck } = await import(${JSON.stringify(module)});
      StartedPythonCheck.start(${JSON.stringify(SYSTEM_PYTHON)}, 't.py');
      StartedPythonCheck.startEarly(${JSON.stringify(SYSTEM_PYTHON)});
      const children = execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)]).toString().split('\\n');
      process.stdout.write(String(children.filter((c) => c.startsWith('python')).length));
    `;
    const r = await execa(process.execPath, ['--input-type=module', '-e', child], { timeout: 20_000, reject: false });
    expect([r.stdout, r.stderr]).toEqual(['1', '']);
  });

  test('an early process for another interpreter is ended, not used', async () => {
    StartedPythonCheck.startEarly('/nonexistent/python3');
    const started = StartedPythonCheck.start(SYSTEM_PYTHON, 't.py');
    expect((await started.run(Buffer.from(PATCHED), SPANS)).unbound).toEqual([{ line: 2, col: 14, name: 'missing' }]);
  });

  test('an early process, taken and never fed or never taken, does not keep Node running', async () => {
    const module = pathToFileURL(join(REPO_ROOT, 'dist', 'instrument', 'python-check.js')).href;
    for (const take of [true, false]) {
      const child = `
        const { StartedPythonCheck } = await import(${JSON.stringify(module)});
        StartedPythonCheck.startEarly(${JSON.stringify(SYSTEM_PYTHON)});
        if (${take}) process.stdout.write(String(StartedPythonCheck.start(${JSON.stringify(SYSTEM_PYTHON)}, 't.py').pid));
      `;
      const r = await execa(process.execPath, ['--input-type=module', '-e', child], { timeout: 20_000, reject: false });
      expect([take, r.exitCode, r.timedOut]).toEqual([take, 0, false]);
      if (take) expect(await ended(Number(r.stdout))).toBe(true);
    }
  });

  test('cancel ends an unused process', async () => {
    const started = StartedPythonCheck.start(SYSTEM_PYTHON, 't.py');
    started.cancel();
    expect(started.available).toBe(false);
    expect(await ended(started.pid!)).toBe(true);
  });
});

/**
 * The incremental check: CPython prepares the original while Node plans, then parses and compiles
 * only the text the edits changed. Each case is checked both ways: the verdict and the unbound
 * reads must be the whole check's, and the mode says whether the shortcut was taken.
 */
function bothWays(patched: string | Buffer, original?: string | Buffer): { whole: PythonCheck; incremental: PythonCheck } {
  const bytes = typeof patched === 'string' ? Buffer.from(patched, 'utf8') : patched;
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const marked = editsFromMarked(text);
  const bom = bytes[0] === 0xef ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
  const spans = insertedSpans(text, marked.edits);
  const whole = runPythonCheck(SYSTEM_PYTHON, bytes, 't.py', spans);
  const origin = originOf(Buffer.concat([bom, Buffer.from(marked.original, 'utf8')]), marked.edits);
  // A BOM shifts every byte offset by 3: originOf counts from the text it is given.
  const from = bom.length ? { ...origin, edits: origin.edits.map((e) => ({ ...e, start: e.start + 3, end: e.end + 3 })) } : origin;
  if (original !== undefined) writeFileSync(from.original, original);
  const incremental = runPythonCheck(SYSTEM_PYTHON, bytes, 't.py', spans, from);
  return { whole, incremental };
}

function expectSameVerdict({ whole, incremental }: { whole: PythonCheck; incremental: PythonCheck }, mode: 'full' | 'incremental'): void {
  expect(incremental.compile).toEqual(whole.compile);
  expect(incremental.unbound).toEqual(whole.unbound);
  if (whole.compile.ok) expect(incremental.mode).toBe(mode);
}

describeWith('python3', existsSync(SYSTEM_PYTHON))('the incremental check agrees with the whole one', () => {
  const HEAD = py`
    import os
    LIMIT = 3


    def helper(x):
        return x + 1


    def main():
        total = 0
        for i in range(LIMIT):
            total = helper(total)
        print(total)


    if __name__ == "__main__":
        main()
  `;
  const at = (line: number, inserted: string) => {
    const lines = HEAD.split('\n');
    lines.splice(line - 1, 0, inserted);
    return lines.join('\n');
  };

  test('lines inserted inside a def, and new top-level code: only those pieces are re-read', () => {
    const r = bothWays(at(13, '    print(total, missing)  # expkit').replace('import os\n', 'import os\nimport sys  # expkit\n'));
    expectSameVerdict(r, 'incremental');
    expect(r.incremental.unbound).toEqual([{ line: 14, col: 17, name: 'missing' }]);
  });

  test('an indented line right after a def (its last line): the piece does not stand alone, the def joins it', () => {
    const r = bothWays(at(14, '    print(total, later)  # expkit'));
    expectSameVerdict(r, 'incremental');
    expect(r.incremental.unbound).toEqual([{ line: 14, col: 17, name: 'later' }]);
  });

  test('an else: that belongs to the untouched if above it', () => {
    expectSameVerdict(bothWays(`${HEAD}else:  # expkit\n    print(os.sep)  # expkit\n`), 'incremental');
  });

  test('inserted code that does not compile: the same line and message as the whole check', () => {
    for (const bad of ['return 1  # expkit', 'x = (1,  # expkit', '    y = 2  # expkit', 'nonlocal os  # expkit']) {
      const r = bothWays(at(4, bad));
      expect(r.whole.compile.ok).toBe(false);
      expectSameVerdict(r, 'full');
    }
  });

  test('module-level global statements, and a coding cookie other than UTF-8: checked whole', () => {
    const global = bothWays(`${HEAD}global total  # expkit\n`);
    expectSameVerdict(global, 'full');
    const late = bothWays(at(3, 'global LIMIT  # expkit'));
    expect(late.whole.compile.ok).toBe(false);
    expectSameVerdict(late, 'full');
    expectSameVerdict(bothWays(`# -*- coding: latin-1 -*-\n${at(13, '    print(total)  # expkit')}`), 'full');
    expectSameVerdict(bothWays(`# -*- coding: utf-8 -*-\n${at(13, '    print(total)  # expkit')}`), 'incremental');
  });

  test('__future__ imports: their flags reach every piece; new code before them, or a new one, is checked whole', () => {
    const future = `"""Doc."""\nfrom __future__ import annotations\n${HEAD}`;
    // Under `annotations`, a yield in an annotation does not compile: the piece must know the flag.
    const yields = bothWays(future.replace('    total = 0\n', '    total = 0\n    x: (yield) = 1  # expkit\n'));
    expect(yields.whole.compile.ok).toBe(false);
    expectSameVerdict(yields, 'full');
    expectSameVerdict(bothWays(future.replace('    total = 0\n', '    total = 0  \n    print(total)  # expkit\n')), 'incremental');
    const before = bothWays(`import sys  # expkit\n${future}`);
    expect(before.whole.compile.ok).toBe(false);
    expectSameVerdict(before, 'full');
    expectSameVerdict(bothWays(future.replace('import os\n', 'import os\nfrom __future__ import division  # expkit\n')), 'full');
  });

  test('a BOM, CRLF line ends, no final newline, statements sharing a line', () => {
    expectSameVerdict(bothWays(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`import sys  # expkit\n${HEAD}`)])), 'incremental');
    expectSameVerdict(bothWays(at(13, '    print(total)  # expkit').replace(/\n/g, '\r\n')), 'incremental');
    expectSameVerdict(bothWays(`${HEAD.trimEnd()}\nprint(os.sep)  # expkit`), 'incremental');
    expectSameVerdict(bothWays(`a = 1; b = 2\n${HEAD}print(a, b, c)  # expkit\n`), 'incremental');
  });

  test('an original on disk that is not the one the edits were made on: nothing of it is trusted blindly', () => {
    const patched = at(13, '    print(total, missing)  # expkit');
    const changed = HEAD.replace('return x + 1', 'return x + 2').replace('total = 0', 'total = 0; missing = 1');
    const r = bothWays(patched, changed);
    expectSameVerdict(r, 'incremental');
    expect(r.incremental.unbound).toEqual([{ line: 13, col: 17, name: 'missing' }]);
    // Same length, so every offset still fits: only comparing the bytes tells that LIMIX is not bound.
    const swapped = bothWays(at(13, '    print(total, LIMIX)  # expkit'), HEAD.replace('LIMIT = 3', 'LIMIX = 3'));
    expectSameVerdict(swapped, 'incremental');
    expect(swapped.incremental.unbound).toEqual([{ line: 13, col: 17, name: 'LIMIX' }]);
  });
});
