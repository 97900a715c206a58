/**
 * The generated pytorch experiment runs for real (Debian's CPU torch): run.sh --smoke over the
 * configured seeds, identical metrics for identical seeds, and --resume continuing a stopped or
 * killed run to the same result as an uninterrupted one.
 */
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { SYSTEM_PYTHON, describeWith, pythonHas } from '../support/components.js';
import { tempDir } from '../support/scaffold.js';

const SLUG = 'tiny-mlp';
const SPEC = `---
title: Tiny MLP
hypothesis: an MLP separates Gaussian clusters
setup: {model: mlp, dataset: synthetic}
metrics: [accuracy, loss, f1]
seeds: [1, 2]
hyperparameters: {epochs: 3, num_samples: 256, hidden_size: 16, batch_size: 32}
---
`;

interface Results {
  slug: string;
  seed: number;
  status: string;
  final: Record<string, number>;
  best: Record<string, number>;
  config: Record<string, unknown>;
  durationSec: number;
  gitCommit: string | null;
  startedAt: string;
  endedAt: string;
  epochs: number;
  smoke: boolean;
}

describeWith('torch on /usr/bin/python3 (python3-torch)', pythonHas('torch') && pythonHas('yaml'))('pytorch scaffold runs', () => {
  const project = tempDir();
  const runSh = join(project, 'experiments', 'code', SLUG, 'run.sh');
  // Smoke results go beside the real ones (results/SLUG/smoke/), so a quick check never replaces one.
  const results = (seed: number, smoke = false) => JSON.parse(readFileSync(join(project, 'results', SLUG, smoke ? 'smoke' : '', `seed_${seed}.json`), 'utf8')) as Results;
  const run = (args: string[], env: Record<string, string> = {}) =>
    execa(runSh, args, { cwd: tempDir(), reject: false, env: { PYTHON: SYSTEM_PYTHON, ...env }, all: true });
  let head = '';

  beforeAll(async () => {
    mkdirSync(join(project, 'experiments'), { recursive: true });
    writeFileSync(join(project, 'experiments', `${SLUG}.md`), SPEC);
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: project });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-qm', 'spec');
    head = (await git('rev-parse', 'HEAD')).stdout.trim();
    const out = await runCli(['scaffold', SLUG, '--dir', project]);
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
  });

  test('run.sh --smoke runs every configured seed and writes their results', async () => {
    // run from another directory: run.sh moves to the project root itself
    const venv = join(tempDir(), 'venv');
    mkdirSync(join(venv, 'bin'), { recursive: true });
    writeFileSync(join(venv, 'bin', 'activate'), 'echo "fake venv activated"\n');
    chmodSync(join(venv, 'bin', 'activate'), 0o644);
    const out = await run(['--smoke'], { CUDA_VISIBLE_DEVICES: '', VENV: venv });
    expect(out.exitCode).toBe(0);
    expect(out.all).toContain('fake venv activated');
    expect(out.all).toContain('CUDA_VISIBLE_DEVICES=');
    for (const seed of [1, 2]) {
      const r = results(seed, true);
      expect(r).toMatchObject({ slug: SLUG, seed, status: 'completed', diverged: false, epochs: 1, smoke: true, gitCommit: head });
      expect(Object.keys(r.final).sort()).toEqual(['accuracy', 'f1', 'loss']);
      expect(Object.keys(r.best).sort()).toEqual(['accuracy', 'f1', 'loss']);
      expect(r.final.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.final.accuracy).toBeLessThanOrEqual(1);
      expect(r.final.loss).toBeGreaterThan(0);
      expect(r.config).toMatchObject({ seed, smoke: true, epochs: 1, hidden_size: 16, metrics: { accuracy: 'max', loss: 'min', f1: 'max' } });
      expect(r.durationSec).toBeGreaterThan(0);
      expect(Date.parse(r.endedAt)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
      expect(readFileSync(join(project, 'logs', SLUG, `seed_${seed}.log`), 'utf8')).toContain('epoch 1/1');
      expect(existsSync(join(project, 'checkpoints', SLUG, 'smoke', `seed_${seed}`, 'last.pt'))).toBe(true);
      expect(existsSync(join(project, 'results', SLUG, 'smoke', `seed_${seed}.config.yaml`))).toBe(true);
      expect(existsSync(join(project, 'results', SLUG, `seed_${seed}.json`))).toBe(false);
    }
    expect(results(1, true).final).not.toEqual(results(2, true).final);
  });

  test('the same seed gives identical metrics (also with --deterministic kernels)', async () => {
    const first = results(1, true);
    const out = await run(['--smoke', '--deterministic'], { SEEDS: '1' });
    expect(out.exitCode).toBe(0);
    expect(results(1, true).final).toEqual(first.final);
    expect(results(1, true).best).toEqual(first.best);
    expect(results(1, true).config.deterministic).toBe(true);
  });

  test('--resume continues a stopped run to the same result as an uninterrupted one', async () => {
    const stopped = await run(['--stop-after', '2'], { SEEDS: '7' });
    expect(stopped.exitCode).toBe(0);
    expect(stopped.all).toContain('epoch 2/3');
    expect(stopped.all).not.toContain('epoch 3/3');
    expect(existsSync(join(project, 'results', SLUG, 'seed_7.json'))).toBe(false);
    expect(existsSync(join(project, 'checkpoints', SLUG, 'seed_7', 'last.pt'))).toBe(true);

    const resumed = await run(['--resume'], { SEEDS: '7' });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.all).toContain('continuing at epoch 3');
    expect(resumed.all).not.toMatch(/epoch [12]\/3/);
    const afterResume = results(7);
    expect(afterResume).toMatchObject({ epochs: 3, smoke: false, status: 'completed' });

    // the same seed, uninterrupted, from scratch
    const fresh = await run([], { SEEDS: '7' });
    expect(fresh.exitCode).toBe(0);
    expect(fresh.all).toContain('epoch 1/3');
    expect(results(7).final).toEqual(afterResume.final);
    expect(results(7).best).toEqual(afterResume.best);
    // starting fresh kept the finished run's checkpoint aside
    expect(readdirSync(join(project, 'checkpoints', SLUG, 'seed_7')).filter((f) => /^last\.\d{8}-\d{6}\.pt$/.test(f))).toHaveLength(1);

    // --resume after a run that had finished starts it afresh
    const again = await run(['--resume'], { SEEDS: '7' });
    expect(again.exitCode).toBe(0);
    expect(again.all).toContain('had finished');
    expect(again.all).toContain('epoch 1/3');
    expect(results(7).final).toEqual(afterResume.final);
  });

  test('a run killed (SIGKILL) after a checkpoint continues with --resume to the same result as an uninterrupted one', async () => {
    const code = join(project, 'experiments', 'code', SLUG);
    const train = (args: string[]) =>
      execa(SYSTEM_PYTHON, [join(code, 'train.py'), '--config', join(code, 'config.yaml'), '--seed', '11', '--epochs', '150', ...args], { cwd: project, reject: false, all: true });
    const checkpoint = join(project, 'checkpoints', SLUG, 'seed_11', 'last.pt');
    const killed = train([]);
    while (!existsSync(checkpoint) && killed.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 10));
    killed.kill('SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    expect(existsSync(join(project, 'results', SLUG, 'seed_11.json'))).toBe(false);

    const resumed = await train(['--resume']);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.all).toMatch(/continuing at epoch \d+/);
    expect(resumed.all).not.toContain('epoch 1/150');
    const afterKill = results(11);
    expect(afterKill.epochs).toBe(150);

    const uninterrupted = await train([]);
    expect(uninterrupted.exitCode).toBe(0);
    expect(uninterrupted.all).toContain('epoch 1/150');
    expect(results(11).final).toEqual(afterKill.final);
    expect(results(11).best).toEqual(afterKill.best);
  });

  test('--wandb logs from rank 0 only, honours offline mode and resumes the stored run id', async () => {
    // A stand-in wandb module that records how it was called: the real one needs an account.
    const fake = tempDir();
    const calls = join(fake, 'calls.jsonl');
    mkdirSync(join(fake, 'wandb'));
    writeFileSync(join(fake, 'wandb', '__init__.py'), FAKE_WANDB);
    const env = { SEEDS: '9', PYTHONPATH: fake, FAKE_WANDB_CALLS: calls };
    const read = () => readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

    expect((await run(['--stop-after', '1', '--wandb', '--wandb-offline'], env)).exitCode).toBe(0);
    expect(read()[0]).toEqual({ init: { id: null, resume: 'allow', mode: 'offline', project: SLUG, name: `${SLUG}-seed_9` } });
    expect(read()[1]).toMatchObject({ log: { epoch: 1 }, step: 1 });

    expect((await run(['--resume', '--wandb'], { ...env, WANDB_MODE: 'offline' })).exitCode).toBe(0);
    const resumed = read().filter((c) => c.init);
    expect(resumed[1].init).toMatchObject({ id: 'run-from-fake', mode: 'offline' });
    expect(read().some((c) => c.summary && 'best/accuracy' in c.summary)).toBe(true);

    const before = read().length;
    expect((await run(['--smoke', '--wandb'], { ...env, RANK: '1' })).exitCode).toBe(0);
    expect(read().length).toBe(before);
  });
});

const FAKE_WANDB = `import json
import os


def _record(entry):
    with open(os.environ["FAKE_WANDB_CALLS"], "a") as f:
        f.write(json.dumps(entry) + "\\n")


class _Summary(dict):
    def update(self, values):
        _record({"summary": values})


class _Run:
    def __init__(self, run_id):
        self.id = run_id or "run-from-fake"
        self.summary = _Summary()

    def log(self, data, step=None):
        _record({"log": data, "step": step})

    def finish(self):
        _record({"finish": True})


run = None


def init(**kwargs):
    global run
    keys = ("id", "resume", "mode", "project", "name")
    _record({"init": {key: kwargs.get(key) for key in keys}})
    # Like wandb, the started run is also wandb.run (where the checkpoint takes its id from).
    run = _Run(kwargs.get("id"))
    return run
`;
