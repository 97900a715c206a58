/** The CPython check process: started ahead, fed later, and never left behind. */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pythonCheck, runPythonCheck, StartedPythonCheck } from '../../src/instrument/python-check.js';
import { describeWith, SYSTEM_PYTHON } from '../support/components.js';
import { REPO_ROOT } from '../support/cli.js';

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

  test('cancel ends an unused process', async () => {
    const started = StartedPythonCheck.start(SYSTEM_PYTHON, 't.py');
    started.cancel();
    expect(started.available).toBe(false);
    expect(await ended(started.pid!)).toBe(true);
  });
});
