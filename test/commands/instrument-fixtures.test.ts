/**
 * Every fixture through the real CLI and the real planner with --wandb --seed --checkpoint:
 * the preview is a diff git accepts on the original, --apply writes exactly that patch (git takes
 * it back with -R), the patched file compiles, instrumenting again changes nothing, and revert
 * restores the original byte for byte. The fixtures cover LF, CRLF, tabs, a BOM, non-ASCII text
 * and a missing final newline; the style inputs under fixtures/instrument/ go through the same.
 */
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { fixtureNames, fixturePath } from '../support/fixtures.js';
import { describeWith, pythonHas, SYSTEM_PYTHON } from '../support/components.js';
import { tempDir } from '../support/temp.js';

const FLAGS = ['--wandb', '--seed', '--checkpoint'];
const fixtures = fixtureNames().filter((f) => f !== 'syntax_error.py');

async function git(dir: string, args: string[], input?: string) {
  return execa('git', args, { cwd: dir, input, reject: false });
}

describeWith('python3 (compile check)', pythonHas('sys'))('expkit instrument on every fixture', () => {
  test.each(fixtures)('%s', async (name) => {
    const dir = tempDir('expkit-fixture-');
    await git(dir, ['init', '-q']);
    const original = readFileSync(fixturePath(name));
    const file = join(dir, name);
    writeFileSync(file, original);

    const preview = await runCli(['instrument', name, ...FLAGS], { cwd: dir });
    expect(preview.exitCode).toBe(0);
    if (preview.stdout === '') {
      // Nothing to place: every requested patch says why.
      expect(preview.stderr).toMatch(/nothing to change/);
      expect(preview.stderr.match(/skipped (wandb|seed|checkpoint):/g)?.length).toBe(3);
      return;
    }
    expect((await git(dir, ['apply', '--check', '-'], preview.stdout)).exitCode).toBe(0);
    expect(readFileSync(file).equals(original)).toBe(true);

    const apply = await runCli(['instrument', name, ...FLAGS, '--apply', '--yes'], { cwd: dir });
    expect(apply.exitCode).toBe(0);
    const patched = readFileSync(file);
    expect((await git(dir, ['apply', '-R', '--check', '-'], preview.stdout)).exitCode).toBe(0);
    const compiled = await execa(SYSTEM_PYTHON, ['-c', 'import sys; compile(sys.stdin.buffer.read(), "p.py", "exec")'], { input: patched, reject: false });
    expect(compiled.stderr).toBe('');
    // Inserted lines keep the file's line endings and carry no trailing whitespace.
    const crlf = original.includes('\r\n');
    for (const line of patched.toString('utf8').split('\n').filter((l) => l.includes('# expkit'))) {
      expect(line.endsWith('\r')).toBe(crlf);
      expect(line.replace(/\r$/, '')).not.toMatch(/\s$/);
    }

    const again = await runCli(['instrument', name, ...FLAGS], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/nothing to change/);

    const revert = await runCli(['revert', name], { cwd: dir });
    expect(revert.exitCode).toBe(0);
    expect(readFileSync(file).equals(original)).toBe(true);
  });
});
