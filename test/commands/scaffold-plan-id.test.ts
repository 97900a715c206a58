/** `expkit scaffold --plan-id`: the write happens only for the plan a dry run showed. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/scaffold.js';

const SPEC = (lr: number) => `---\ntitle: Plan id\nhyperparameters:\n  lr: ${lr}\n---\n`;

function project(spec: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'experiments'));
  writeFileSync(join(dir, 'experiments', 'exp.md'), spec);
  return dir;
}

async function preview(dir: string, extra: string[] = []): Promise<{ planId: string; files: { path: string }[] }> {
  const out = await runCli(['scaffold', 'exp', '--dry-run', '--json', ...extra], { cwd: dir });
  expect(out.exitCode).toBe(0);
  return JSON.parse(out.stdout);
}

const code = (dir: string) => join(dir, 'experiments', 'code', 'exp');

describe('expkit scaffold --plan-id', () => {
  test('the dry run gives a planId; the same plan writes with it, and the id is stable', async () => {
    const dir = project(SPEC(0.01));
    const shown = await preview(dir);
    expect(shown.planId).toMatch(/^[0-9a-f]{16}$/);
    expect((await preview(dir)).planId).toBe(shown.planId);
    const text = await runCli(['scaffold', 'exp', '--dry-run'], { cwd: dir });
    expect(text.stdout).toContain(`plan id: ${shown.planId}`);

    const out = await runCli(['scaffold', 'exp', '--plan-id', shown.planId, '--json'], { cwd: dir });
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.planId).toBe(shown.planId);
    expect(json.files.map((f: { path: string }) => f.path)).toEqual(shown.files.map((f) => f.path));
    expect(readFileSync(join(code(dir), 'config.yaml'), 'utf8')).toContain('0.01');
  });

  test('a spec changed between preview and write: refused with exit 3, nothing written', async () => {
    const dir = project(SPEC(0.01));
    const shown = await preview(dir);
    writeFileSync(join(dir, 'experiments', 'exp.md'), SPEC(0.5));
    const out = await runCli(['scaffold', 'exp', '--plan-id', shown.planId], { cwd: dir });
    expect(out.exitCode).toBe(3);
    expect(out.stderr.split('\n')[0]).toMatch(/^expkit: the scaffold plan is not the approved one .*nothing written$/);
    expect(existsSync(join(dir, 'experiments', 'code'))).toBe(false);
  });

  test('a wrong id is refused as JSON too; nothing written', async () => {
    const dir = project(SPEC(0.01));
    const out = await runCli(['scaffold', 'exp', '--plan-id', '0123456789abcdef', '--json'], { cwd: dir });
    expect(out.exitCode).toBe(3);
    const json = JSON.parse(out.stdout);
    expect(json.error.exitCode).toBe(3);
    expect(json.error.hint).toContain('--dry-run --json');
    expect(existsSync(join(dir, 'experiments', 'code'))).toBe(false);
  });

  test('a file in the project edited after the preview changes the plan: refused, the edit kept', async () => {
    const dir = project(SPEC(0.01));
    await runCli(['scaffold', 'exp'], { cwd: dir });
    const shown = await preview(dir, ['--force']);
    const train = join(code(dir), 'train.py');
    writeFileSync(train, readFileSync(train, 'utf8') + '# edited after the preview\n');
    const out = await runCli(['scaffold', 'exp', '--force', '--plan-id', shown.planId], { cwd: dir });
    expect(out.exitCode).toBe(3);
    expect(readFileSync(train, 'utf8')).toMatch(/# edited after the preview\n$/);
    expect(existsSync(`${train}.bak`)).toBe(false);
  });
});
