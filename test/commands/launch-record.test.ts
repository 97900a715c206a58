import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/cli.js';
import { useProject } from '../support/runs.js';

const git = (cwd: string, ...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd, encoding: 'utf8' });
const PRINT_ENV = ['--', '/usr/bin/python3', '-c', 'import os; print(repr(os.environ.get("CUDA_VISIBLE_DEVICES")))'];

describe('the run record: git state, GPUs', () => {
  const p = useProject();
  beforeAll(() => {
    git(p.dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(p.dir, '.gitignore'), '.expkit/\n.screen/\n');
    git(p.dir, 'add', '.');
    git(p.dir, 'commit', '-q', '-m', 'init');
  });

  test('commit, branch, dirty flag, the uncommitted diff (re-appliable) and untracked files', async () => {
    writeFileSync(join(p.dir, 'job.py'), readFileSync(join(p.dir, 'job.py'), 'utf8') + '# tweak\n');
    writeFileSync(join(p.dir, 'notes.txt'), 'new\n');
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'g', '--', 'true'])).exitCode).toBe(0);
    const m = p.manifest('g');
    expect(m.git).toEqual({ commit: git(p.dir, 'rev-parse', 'HEAD').stdout.trim(), branch: 'main', dirty: true, diffFile: 'git.diff', untracked: ['notes.txt'] });
    const diff = readFileSync(join(p.runDir('g'), 'git.diff'), 'utf8');
    expect(diff).toContain('+# tweak');
    expect(readFileSync(join(p.runDir('g'), 'untracked.txt'), 'utf8')).toBe('notes.txt\n');
    // The saved diff is exactly what is in the tree: it reverse-applies cleanly.
    expect(git(p.dir, 'apply', '--check', '-R', join(p.runDir('g'), 'git.diff')).status).toBe(0);
  });

  test('--gpus auto reads nvidia-smi, skips busy GPUs and sets CUDA_VISIBLE_DEVICES; none hides them', async () => {
    const bin = join(p.dir, 'fakebin');
    mkdirSync(bin);
    const csv = join(REPO_ROOT, 'test', 'launch', 'fixtures', 'nvidia-smi-8gpu.csv');
    writeFileSync(join(bin, 'nvidia-smi'), `#!/bin/sh\ncat '${csv}'\n`);
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const path = `${bin}:${process.env.PATH}`;
    const r = await p.cli(['launch', '--backend', 'process', '--name', 'gpu', '--seeds', '1,2', ...PRINT_ENV], { PATH: path });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('gpus: free GPU 2 of 8');
    for (const [seed, gpu] of [[1, '2'], [2, '5']] as const) {
      expect((await p.cli(['wait', `gpu-s${seed}`, '--timeout', '30'])).exitCode).toBe(0);
      expect(p.log(`gpu-s${seed}`)).toBe(`'${gpu}'\n`);
      expect(p.manifest(`gpu-s${seed}`)).toMatchObject({ cudaVisibleDevices: gpu, gpus: [Number(gpu)] });
    }
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'cpu', '--gpus', 'none', ...PRINT_ENV])).exitCode).toBe(0);
    await p.cli(['wait', 'cpu', '--timeout', '30']);
    expect(p.log('cpu')).toBe("''\n");
    const noSmi = await p.cli(['launch', '--backend', 'process', '--name', 'nosmi', ...PRINT_ENV], { PATH: '/usr/bin:/bin' });
    expect(noSmi.stdout).toContain('nvidia-smi not found: runs on CPU');
  });
});
