/** The run record: written by the wrapper at the end, honest about git and about what `launch SLUG` runs. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from '../support/components.js';
import { BIN } from '../support/cli.js';
import { useProject } from '../support/runs.js';

const git = (cwd: string, ...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd, encoding: 'utf8' });

async function manifestWithState(p: ReturnType<typeof useProject>, name: string): Promise<any> {
  // Only the files: nobody runs status or wait.
  const deadline = Date.now() + 30000;
  for (;;) {
    const m = existsSync(join(p.runDir(name), 'manifest.json')) ? p.manifest(name) : null;
    if (m?.state && m.state !== 'starting') return m;
    if (Date.now() > deadline) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the run record', () => {
  const p = useProject();

  test.each([
    ['true', 'succeeded', 0],
    ['false', 'failed', 1],
  ])('the wrapper records the outcome of `%s` in manifest.json itself', async (cmd, state, exitCode) => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', `end-${cmd}`, '--', cmd])).exitCode).toBe(0);
    const m = await manifestWithState(p, `end-${cmd}`);
    expect(m).toMatchObject({ state, exitCode, startedAt: expect.any(String), endedAt: expect.any(String) });
    expect(Date.parse(m.endedAt)).toBeGreaterThanOrEqual(Date.parse(m.startedAt));
  });

  test(".expkit/ gets a .gitignore of '*'; expkit's own files do not make the tree dirty", async () => {
    const g = join(p.dir, 'repo');
    mkdirSync(g);
    git(g, 'init', '-q', '-b', 'main');
    writeFileSync(join(g, 'train.py'), 'print(1)\n');
    git(g, 'add', '.');
    git(g, 'commit', '-q', '-m', 'init');
    const launch = (name: string) => spawnSync(process.execPath, [BIN, 'launch', '--backend', 'process', '--name', name, '--', 'true'], { cwd: g, env: { ...process.env, EXPKIT_HOME: '' }, encoding: 'utf8' });
    expect(launch('one').status).toBe(0);
    expect(launch('two').status).toBe(0);
    expect(readFileSync(join(g, '.expkit', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const m = JSON.parse(readFileSync(join(g, '.expkit', 'runs', 'two', 'manifest.json'), 'utf8'));
    expect(m.git).toMatchObject({ dirty: false, untracked: [] });
    expect(git(g, 'status', '--porcelain').stdout).toBe('');
  });

  test("launch SLUG records run.sh's interpreter (its venv's python3) and config.yaml's seeds", async () => {
    // A venv whose python3 is Debian's, activated by run.sh (the launcher's PATH has another python3 first).
    const venv = join(p.dir, 'venv');
    mkdirSync(join(venv, 'bin'), { recursive: true });
    symlinkSync(SYSTEM_PYTHON, join(venv, 'bin', 'python3'));
    writeFileSync(join(venv, 'bin', 'activate'), `export PATH=${join(venv, 'bin')}:$PATH\n`);
    const scaffold = await p.cli(['scaffold', 'demo', '--venv', venv]);
    expect(scaffold.exitCode).toBe(0);
    const seeds = readFileSync(join(p.dir, 'experiments', 'code', 'demo', 'config.yaml'), 'utf8');
    // Replace train.py: the record is the point here, not the training.
    writeFileSync(join(p.dir, 'experiments', 'code', 'demo', 'train.py'), 'import sys; print(sys.executable)\n');
    const r = await p.cli(['launch', '--backend', 'process', '--name', 'slug', 'demo']);
    expect({ exit: r.exitCode, err: r.stderr }).toEqual({ exit: 0, err: expect.any(String) });
    expect((await p.cli(['wait', 'slug', '--timeout', '60'])).exitCode).toBe(0);
    const m = p.manifest('slug');
    expect(m.python.path).toBe(join(venv, 'bin', 'python3'));
    expect(m.python.version).toMatch(/^3\.\d+\.\d+$/);
    // What the run printed for sys.executable is the interpreter the record names.
    expect(p.log('slug')).toContain(`${join(venv, 'bin', 'python3')}\n`);
    const configSeeds = /^seeds: \[(.*)\]$/m.exec(seeds)![1].split(',').map((s) => Number(s.trim()));
    expect(configSeeds.length).toBeGreaterThan(0);
    expect(m.seeds).toEqual(configSeeds);
  });
});
