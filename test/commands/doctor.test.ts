import { runCli } from '../support/cli.js';
import { pythonHas, SYSTEM_PYTHON } from '../support/components.js';

describe('expkit doctor (real interpreter)', () => {
  test('reports the interpreter, torch, backends and disk; never prints the wandb key', async () => {
    const r = await runCli(['doctor', '--python', SYSTEM_PYTHON, '--json'], { env: { WANDB_API_KEY: 'sekrit-key-42', WANDB_MODE: '' } });
    expect(r.stdout).not.toContain('sekrit');
    const out = JSON.parse(r.stdout);
    const c = (name: string) => out.checks.find((x: any) => x.name === name);
    expect(c('python')).toMatchObject({ level: 'ok', detail: expect.stringMatching(/^\/usr\/bin\/python3 \(Python 3\.\d+\.\d+\)$/) });
    expect(c('wandb login').detail).toBe('logged in (WANDB_API_KEY is set)');
    expect(c('backends').detail).toContain('process');
    expect(c('disk').detail).toMatch(/GiB free/);
    if (pythonHas('torch')) expect(c('torch').detail).toMatch(/^torch \S+, CUDA/);
    expect(r.exitCode).toBe(out.ok ? 0 : 1);
  });

  test('a missing interpreter is an error with a fix (exit 1)', async () => {
    const r = await runCli(['doctor', '--python', '/nonexistent/python']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/python +error +Python interpreter \/nonexistent\/python not found/);
    expect(r.stdout).toContain('fix python: install Python 3 or pass --python PATH');
  });
});
