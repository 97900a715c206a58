/**
 * Approval by hash on the CLI: the preview's patchId applies exactly that patch, without a prompt;
 * a wrong id, or one from before the file changed, is refused (exit 3, one line) and the file is
 * byte-identical. Runs the built CLI with the real planner on a fixture script.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { runCli } from '../support/cli.js';
import { fixturePath } from '../support/fixtures.js';
import { tempDir } from '../support/temp.js';

async function project(): Promise<{ dir: string; file: string }> {
  const dir = tempDir('expkit-patch-id-');
  await execa('git', ['init', '-q'], { cwd: dir });
  const file = join(dir, 'train.py');
  copyFileSync(fixturePath('instrument/plain_mlp/input.py'), file);
  return { dir, file };
}

async function preview(dir: string, ...flags: string[]): Promise<{ diff: string; patchId: string }> {
  const r = await runCli(['instrument', 'train.py', ...flags, '--json'], { cwd: dir });
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as { diff: string; patchId: string };
}

describe('instrument --apply --patch-id', () => {
  test('the preview has a patchId; the same preview gives the same id; other options give another', async () => {
    const { dir } = await project();
    const a = await preview(dir, '--seed');
    expect(a.patchId).toMatch(/^p1-[0-9a-f]{32}$/);
    expect((await preview(dir, '--seed')).patchId).toBe(a.patchId);
    expect((await preview(dir, '--seed', '7')).patchId).not.toBe(a.patchId);
  });

  test('the right id applies without a prompt (no terminal, no --yes) and writes exactly the previewed diff', async () => {
    const { dir, file } = await project();
    const before = readFileSync(file);
    const { diff, patchId } = await preview(dir, '--seed', '--checkpoint');
    const r = await runCli(['instrument', 'train.py', '--seed', '--checkpoint', '--apply', '--patch-id', patchId, '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { applied: boolean; patchId: string; diff: string };
    expect(out).toMatchObject({ applied: true, patchId, diff });
    // The file now is the original with that diff applied: reverse-applying it gives the original back.
    await execa('git', ['apply', '-R', '--unsafe-paths', '-'], { cwd: dir, input: diff });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test('a file changed since the preview is refused with exit 3 and one line; the file is byte-identical', async () => {
    const { dir, file } = await project();
    const { patchId } = await preview(dir, '--seed');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# edited after the preview\n`);
    const changed = readFileSync(file);
    const r = await runCli(['instrument', 'train.py', '--seed', '--apply', '--patch-id', patchId], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^expkit: train\.py or the options changed since the preview \(patch id p1-/m);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('expkit: '))).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(file).equals(changed)).toBe(true);
  });

  test('a wrong id (or options other than the previewed ones) is refused, as JSON with --json; nothing is written', async () => {
    const { dir, file } = await project();
    const before = readFileSync(file);
    const { patchId } = await preview(dir, '--seed');
    for (const args of [['--seed', '--patch-id', `p1-${'0'.repeat(32)}`], ['--wandb', '--patch-id', patchId]]) {
      const r = await runCli(['instrument', 'train.py', ...args, '--apply', '--json'], { cwd: dir });
      expect(r.exitCode).toBe(3);
      expect(JSON.parse(r.stdout)).toEqual({ schemaVersion: 1, error: { message: expect.stringMatching(/changed since the preview/), exitCode: 3, hint: expect.any(String) } });
      expect(readFileSync(file).equals(before)).toBe(true);
    }
    const bad = await runCli(['instrument', 'train.py', '--seed', '--apply', '--patch-id', 'nope'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    const noApply = await runCli(['instrument', 'train.py', '--seed', '--patch-id', patchId], { cwd: dir });
    expect(noApply.exitCode).toBe(2);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
