import { doctorChecks, type DoctorFacts } from '../../src/doctor/checks.js';
import { parseNvidiaSmi } from '../../src/launch/gpus.js';

const base: DoctorFacts = {
  python: { path: '/usr/bin/python3', version: '3.11.2', torch: '2.3.0', cuda: true, cudaDevices: 2, wandb: '0.17.0' },
  wandbAuth: 'netrc',
  wandbMode: null,
  tmux: true,
  screen: false,
  sbatch: false,
  slurmController: null,
  gpus: parseNvidiaSmi('0, A100, 38000, 40960, 95\n1, A100, 3, 40960, 0\n'),
  diskFreeBytes: 500 * 1024 ** 3,
  runsDir: '/p/.expkit/runs',
};
const by = (f: DoctorFacts, name: string) => doctorChecks(f).find((c) => c.name === name);

describe('doctor checks', () => {
  test('a healthy GPU machine', () => {
    const checks = doctorChecks(base);
    expect(checks.every((c) => c.level === 'ok')).toBe(true);
    expect(by(base, 'torch')!.detail).toBe('torch 2.3.0, CUDA available (2 devices)');
    expect(by(base, 'gpus')!.detail).toMatch(/^2 GPU\(s\), free: 1 /);
  });
  test('problems come with fixes', () => {
    const bad: DoctorFacts = { ...base, python: { ...base.python, torch: null, wandb: null }, wandbAuth: null, tmux: false, sbatch: true, slurmController: false, gpus: parseNvidiaSmi('0, A100, 38000, 40960, 95\n'), diskFreeBytes: 0.5 * 1024 ** 3 };
    const checks = doctorChecks(bad);
    for (const name of ['torch', 'wandb', 'wandb login', 'tmux', 'slurm', 'gpus', 'disk']) {
      const c = checks.find((x) => x.name === name)!;
      expect(c.level).not.toBe('ok');
      expect(c.fix).toEqual(expect.any(String));
    }
    expect(by(bad, 'disk')!.level).toBe('error');
    expect(by({ ...base, wandbAuth: null, wandbMode: 'offline' }, 'wandb login')!.level).toBe('ok');
    expect(by({ ...base, python: { ...base.python, path: null, version: null, requested: 'py9' } }, 'python')).toMatchObject({ level: 'error', detail: 'Python interpreter py9 not found' });
  });
});
