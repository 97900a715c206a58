/**
 * Instrumented scripts run for real: Debian's CPU PyTorch on /usr/bin/python3, wandb replaced by
 * the recording stand-in in test/support/wandb-stub. Each test checks behaviour a user relies on.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWith, pythonHas } from '../support/components.js';
import { fixture, instrumentText, readWandbLog, runPython, WANDB_STUB, type WandbCall } from '../support/instrument.js';
import { tempDir } from '../support/temp.js';

const hasTorch = pythonHas('torch');

function workdir(): string {
  return tempDir('expkit-run-');
}

/** The patched script with Debian's torch and the recording wandb stand-in (test/support/instrument.ts). */
const python = runPython;

async function writeInstrumented(dir: string, name: string, source: string, options: Parameters<typeof instrumentText>[1]): Promise<string> {
  const { text, plan } = await instrumentText(source, options, name);
  expect(plan.skipped).toEqual([]);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function epochLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('epoch '));
}

/** The fixtures that run on CPU in seconds, with the arguments that keep them short (at least two epochs, so a resumed run has one left). */
const RUNNABLE: [string, string[]][] = [
  ['mnist_cnn.py', ['--epochs', '2']],
  ['module_level.py', []],
  ['gpt_ddp.py', ['--out_dir=gpt_out']],
  ['amp_loop.py', []],
  ['train_fn_epoch_main.py', []],
  ['crlf_tabs_unicode.py', []],
  ['no_final_newline.py', []],
  ['rl_env_step.py', []],
  ['click_cli.py', []],
  ['plain_mlp.py', ['--epochs', '2']],
  ['ddp_gloo.py', ['--epochs', '2']],
  ['class_trainer.py', ['2', '1']],
  ['helper_train_step.py', []],
  ['reinforce_episodes.py', []],
  ['dcgan_random_seed.py', ['--niter', '2']],
  ['resume_ckpt.py', []],
  ['guard_epoch_helpers.py', []],
  // Without --autotune: a_optimizer (built only with it) is left out of the checkpoint, so only this path resumes exactly.
  ['optional_optimizer.py', ['--autotune', '0']],
  ['target_network.py', []],
  ['partial_seed.py', []],
  ['seed_when_configured.py', []],
  ['manual_update.py', []],
];

/** A sitecustomize that kills the run (os._exit(137)) right after the Nth checkpoint write is durable. */
function dieAfterCheckpoint(dir: string, n: number): Record<string, string> {
  writeFileSync(
    join(dir, 'sitecustomize.py'),
    [
      'import os',
      '_replace, _count = os.replace, [0]',
      'def _replace_then_die(src, dst, *a, **k):',
      '    _replace(src, dst, *a, **k)',
      '    if str(dst).endswith("last.pt"):',
      '        _count[0] += 1',
      `        if _count[0] == ${n}:`,
      '            os._exit(137)',
      'os.replace = _replace_then_die',
      '',
    ].join('\n'),
  );
  return { PYTHONPATH: `${dir}:${WANDB_STUB}` };
}


/**
 * Scripts whose randomness lives where no training-loop checkpoint reaches: their resumed run
 * continues the steps, but not bit for bit.
 */
const RESUME_NOT_EXACT: Record<string, string> = {
  'reinforce_episodes.py': 'the environment draws from its own numpy Generator (np.random.default_rng(seed)), which is not global RNG state',
};

/** The training values a run logged, step by step (`train/*` keys), for comparing runs. */
function trainLogs(dir: string): { step: number | undefined; data: Record<string, number> }[] {
  return readWandbLog(join(dir, 'wandb.jsonl'))
    .filter((c) => c.call === 'log' && Object.keys(c.data!).some((k) => k.startsWith('train/')))
    .map((c) => ({ step: c.step, data: c.data! }));
}

describeWith('python3-torch on /usr/bin/python3', hasTorch)('every runnable fixture: the same seed twice logs the same, and a run killed after its first checkpoint resumes to the same end', () => {
  test.each(RUNNABLE)('%s', async (name, args) => {
    const options = { wandb: {}, seed: { value: 3, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } };
    const { text, plan } = await instrumentText(fixture(name), options, name);
    const [a, b, c] = [workdir(), workdir(), workdir()];
    for (const d of [a, b, c]) writeFileSync(join(d, name), text);
    // Each run its own rendezvous port: scripts that start a process group default to a fixed one.
    const own = () => ({ MASTER_PORT: String(20000 + Math.floor(Math.random() * 20000)) });
    const [ra, rb] = await Promise.all([python(a, join(a, name), args, own()), python(b, join(b, name), args, own())]);
    expect([ra.exitCode, rb.exitCode]).toEqual([0, 0]);
    const full = trainLogs(a);
    expect(full.length).toBeGreaterThan(0);
    expect(trainLogs(b)).toEqual(full);

    // Scripts that checkpoint themselves (their own resumable saves) are not given expkit's.
    if (plan.skipped.some((k) => k.kind === 'checkpoint')) return;
    const killed = await python(c, join(c, name), args, dieAfterCheckpoint(c, 1));
    expect(killed.exitCode).not.toBe(0);
    const before = trainLogs(c);
    const resumed = await python(c, join(c, name), args);
    expect([resumed.exitCode, resumed.stderr.split('\n').slice(-3).join('\n')]).toEqual([0, expect.any(String)]);
    expect(resumed.stdout).toMatch(/expkit: resumed from /);
    const after = trainLogs(c).slice(before.length);
    // What the resumed run logs is what the uninterrupted run logged from the same step on.
    expect(after.length).toBeGreaterThan(0);
    const from = full.findIndex((l) => l.step === after[0]!.step);
    expect(from).toBeGreaterThan(0);
    if (name in RESUME_NOT_EXACT) expect(after.map((l) => l.step)).toEqual(full.slice(from).map((l) => l.step));
    else expect(after).toEqual(full.slice(from));
  });
});

describeWith('python3-torch on /usr/bin/python3', hasTorch)('every runnable fixture, instrumented with --wandb --seed --checkpoint, still runs', () => {
  test.each(RUNNABLE)('%s', async (name, args) => {
    const dir = workdir();
    const { text, plan } = await instrumentText(fixture(name), { wandb: {}, seed: { value: 3, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } }, name);
    writeFileSync(join(dir, name), text);
    const r = await python(dir, join(dir, name), args);
    expect([r.exitCode, r.stderr.split('\n').slice(-3).join('\n')]).toEqual([0, expect.any(String)]);
    const calls = readWandbLog(join(dir, 'wandb.jsonl')).map((c) => c.call);
    if (plan.skipped.some((s) => s.kind === 'wandb')) return;
    expect(calls[0]).toBe('init');
    expect(calls[calls.length - 1]).toBe('finish');
    expect(calls.filter((c) => c === 'log').length).toBeGreaterThan(0);
  });
});

describeWith('python3-torch on /usr/bin/python3', hasTorch)('instrumented scripts run for real', () => {
  test('wandb: init with the config, then logs with increasing steps, then finish', async () => {
    const dir = workdir();
    const script = await writeInstrumented(dir, 'train.py', fixture('plain_mlp.py'), { wandb: { project: 'moons' } });
    const r = await python(dir, script, ['--epochs', '3']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const calls = readWandbLog(join(dir, 'wandb.jsonl'));
    expect(calls[0]).toMatchObject({ call: 'init', project: 'moons', config: { epochs: 3, lr: 0.05, hidden: 32, batch_size: 32 } });
    expect(calls[calls.length - 1]!.call).toBe('finish');
    const logs = calls.filter((c) => c.call === 'log');
    const train = logs.filter((c) => 'train/loss' in c.data!);
    const evals = logs.filter((c) => 'eval/val_acc' in c.data!);
    expect(train).toHaveLength(3 * (512 / 32)); // 3 epochs of 16 batches
    expect(evals).toHaveLength(3);
    for (const t of train) expect(t.data).toEqual({ 'train/loss': expect.any(Number), 'train/lr': expect.any(Number) });
    // Training logs at a global step the patch keeps (the loop has no counter): 1, 2, 3, …
    expect(train.map((c) => c.step)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    // Each evaluation lands in the row of the training step it follows.
    expect(evals.map((c) => c.step)).toEqual([16, 32, 48]);
    // StepLR halves the rate after 2 epochs: the logged lr follows the optimizer.
    expect(train[0]!.data!['train/lr']).toBeCloseTo(0.05);
    expect(train[train.length - 1]!.data!['train/lr']).toBeCloseTo(0.025);
  });

  test.each([
    ['return', 0],
    ['exit', 3],
    ['raise', 1],
  ])('wandb.finish() runs on the early %s path', async (mode, code) => {
    const dir = workdir();
    const source = [
      'import argparse',
      'import sys',
      '',
      'import torch',
      '',
      '',
      'def main():',
      '    parser = argparse.ArgumentParser()',
      '    parser.add_argument("--mode", default="return")',
      '    args = parser.parse_args()',
      '    model = torch.nn.Linear(2, 1)',
      '    opt = torch.optim.SGD(model.parameters(), lr=0.1)',
      '    for step in range(5):',
      '        loss = model(torch.ones(1, 2)).sum()',
      '        opt.zero_grad()',
      '        loss.backward()',
      '        opt.step()',
      '        if step == 1 and args.mode == "return":',
      '            return',
      '        if step == 1 and args.mode == "exit":',
      '            sys.exit(3)',
      '        if step == 1 and args.mode == "raise":',
      '            raise RuntimeError("boom")',
      '',
      '',
      'if __name__ == "__main__":',
      '    main()',
      '',
    ].join('\n');
    const script = await writeInstrumented(dir, 'early.py', source, { wandb: {} });
    const r = await python(dir, script, ['--mode', mode]);
    expect(r.exitCode).toBe(code);
    const calls = readWandbLog(join(dir, 'wandb.jsonl')).map((c) => c.call);
    expect(calls).toEqual(['init', 'log', 'log', 'finish']);
  });

  test('wandb in a two-process DDP run: only rank 0 initialises, logs and finishes', async () => {
    const dir = workdir();
    const script = await writeInstrumented(dir, 'ddp.py', fixture('ddp_gloo.py'), { wandb: {} });
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const ranks = await Promise.all(
      [0, 1].map((rank) => python(dir, script, ['--epochs', '2'], { RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: port })),
    );
    for (const r of ranks) expect(r.exitCode).toBe(0);
    const calls = readWandbLog(join(dir, 'wandb.jsonl'));
    expect(calls.length).toBeGreaterThan(2);
    expect(new Set(calls.map((c: WandbCall) => c.rank))).toEqual(new Set(['0']));
    expect(calls[0]!.call).toBe('init');
    expect(calls[calls.length - 1]!.call).toBe('finish');
    expect(calls.filter((c) => c.call === 'log')).toHaveLength(2 * (512 / 2 / 32)); // each rank sees half the data
  });

  test('seed: two runs of the seeded script print identical losses; unseeded runs differ', async () => {
    const dir = workdir();
    const plain = join(dir, 'plain.py');
    writeFileSync(plain, fixture('plain_mlp.py'));
    const seeded = await writeInstrumented(dir, 'seeded.py', fixture('plain_mlp.py'), { seed: { value: 7, deterministic: false } });
    const [a, b, c, d] = await Promise.all([python(dir, seeded, ['--epochs', '2']), python(dir, seeded, ['--epochs', '2']), python(dir, plain, ['--epochs', '2']), python(dir, plain, ['--epochs', '2'])]);
    expect(epochLines(a.stdout)).toHaveLength(2);
    expect(epochLines(a.stdout)).toEqual(epochLines(b.stdout));
    expect(epochLines(c.stdout)).not.toEqual(epochLines(d.stdout));
    const other = await python(dir, seeded, ['--epochs', '2', '--seed', '8']);
    expect(epochLines(other.stdout)).not.toEqual(epochLines(a.stdout));
  });

  /** The checkpoint files under ckpt/: `train/<seed>-<fingerprint>/last.pt` and any kept aside. */
  function checkpoints(dir: string): string[] {
    const root = join(dir, 'ckpt');
    return existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.pt')).sort() : [];
  }

  test('checkpoint: a run killed after epoch 2, rerun with the same command, resumes at epoch 3 and ends like an uninterrupted run', async () => {
    const options = { seed: { value: 1, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } };
    const full = workdir();
    const fullScript = await writeInstrumented(full, 'train.py', fixture('plain_mlp.py'), options);
    const uninterrupted = await python(full, fullScript, ['--epochs', '5']);
    expect(uninterrupted.exitCode).toBe(0);

    const dir = workdir();
    const script = await writeInstrumented(dir, 'train.py', fixture('plain_mlp.py'), options);
    const crashed = await python(dir, script, ['--epochs', '5'], dieAfterCheckpoint(dir, 2));
    expect(crashed.exitCode).toBe(137);
    expect(epochLines(crashed.stdout)).toHaveLength(2);
    // No extra flag: a requeued job reruns the same command line.
    const resumed = await python(dir, script, ['--epochs', '5']);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toMatch(/^expkit: resumed from ckpt\/train\/1-[0-9a-f]{12}\/last\.pt at 2$/m);
    expect(epochLines(resumed.stdout).map((l) => l.split(' ')[1])).toEqual(['3', '4', '5']);
    expect(epochLines(resumed.stdout)).toEqual(epochLines(uninterrupted.stdout).slice(2));
    expect(checkpoints(dir)).toEqual(checkpoints(full));
  });

  test('checkpoint: another configuration starts fresh in its own folder; the old checkpoint is untouched', async () => {
    const dir = workdir();
    const script = await writeInstrumented(dir, 'train.py', fixture('plain_mlp.py'), { seed: { value: 1, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } });
    expect((await python(dir, script, ['--epochs', '2'])).exitCode).toBe(0);
    const [first] = checkpoints(dir);
    const before = readFileSync(join(dir, 'ckpt', first!));
    const other = await python(dir, script, ['--epochs', '2', '--lr', '0.01']);
    expect(other.exitCode).toBe(0);
    expect(other.stdout).not.toContain('expkit: resumed');
    expect(epochLines(other.stdout)).toHaveLength(2);
    expect(checkpoints(dir)).toHaveLength(2);
    expect(readFileSync(join(dir, 'ckpt', first!))).toEqual(before);
    // Another seed is another run too: concurrent seeds never share a file.
    const seeds = await Promise.all([python(dir, script, ['--epochs', '1', '--seed', '5']), python(dir, script, ['--epochs', '1', '--seed', '6'])]);
    for (const r of seeds) expect(r.stdout).not.toContain('expkit: resumed');
    expect(checkpoints(dir).map((f) => f.split('/')[1]!.split('-')[0])).toEqual(['1', '1', '5', '6']);
  });

  test.each([
    ['--no-resume', ['--no-resume'], {}],
    ['EXPKIT_RESUME=0', [], { EXPKIT_RESUME: '0' }],
  ])('checkpoint: %s starts fresh and keeps the old checkpoint aside', async (_name, flags, env) => {
    const dir = workdir();
    const script = await writeInstrumented(dir, 'train.py', fixture('plain_mlp.py'), { wandb: {}, seed: { value: 1, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } });
    expect((await python(dir, script, ['--epochs', '2'])).exitCode).toBe(0);
    const fresh = await python(dir, script, ['--epochs', '2', ...flags], env);
    expect(fresh.exitCode).toBe(0);
    expect(fresh.stdout).toMatch(/expkit: starting fresh; the previous checkpoint is kept at ckpt\/train\/1-[0-9a-f]{12}\/last\.\d{8}-\d{6}\.pt/);
    expect(epochLines(fresh.stdout)).toHaveLength(2);
    expect(checkpoints(dir)).toHaveLength(2);
    const inits = readWandbLog(join(dir, 'wandb.jsonl')).filter((c) => c.call === 'init') as (WandbCall & { run_id: string })[];
    expect(inits.map((i) => i.id)).toEqual([null, null]);
  });

  test.each([
    ['wandb, then checkpoint', [{ wandb: {} }, { checkpoint: { every: 1, dir: 'ckpt' } }]],
    ['checkpoint, then wandb', [{ checkpoint: { every: 1, dir: 'ckpt' } }, { wandb: {} }]],
  ] as const)('patches in two layers (%s): a killed run, rerun, continues the same wandb run', async (_name, layers) => {
    const dir = workdir();
    let text = fixture('plain_mlp.py');
    for (const options of layers) {
      const layer = await instrumentText(text, options, 'train.py');
      expect(layer.plan.skipped).toEqual([]);
      text = layer.text;
    }
    const script = join(dir, 'train.py');
    writeFileSync(script, text);
    expect((await python(dir, script, ['--epochs', '4'], dieAfterCheckpoint(dir, 2))).exitCode).toBe(137);
    const resumed = await python(dir, script, ['--epochs', '4']);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toMatch(/^expkit: resumed from .* at 2$/m);
    const inits = readWandbLog(join(dir, 'wandb.jsonl')).filter((c) => c.call === 'init') as (WandbCall & { run_id: string })[];
    expect(inits).toHaveLength(2);
    expect(inits[1]).toMatchObject({ id: inits[0]!.run_id, resume: 'allow' });
  });

  test('checkpoint + wandb: the rerun continues the same wandb run id, and its steps continue where the checkpoint left them', async () => {
    const dir = workdir();
    const options = { wandb: {}, seed: { value: 1, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } };
    const script = await writeInstrumented(dir, 'train.py', fixture('plain_mlp.py'), options);
    expect((await python(dir, script, ['--epochs', '4'], dieAfterCheckpoint(dir, 2))).exitCode).toBe(137);
    const firstRun = readWandbLog(join(dir, 'wandb.jsonl'));
    expect((await python(dir, script, ['--epochs', '4'])).exitCode).toBe(0);
    const calls = readWandbLog(join(dir, 'wandb.jsonl'));
    const inits = calls.filter((c) => c.call === 'init') as (WandbCall & { run_id: string })[];
    expect(inits).toHaveLength(2);
    expect(inits[0]!.id).toBeNull();
    expect(inits[1]).toMatchObject({ id: inits[0]!.run_id, resume: 'allow' });
    const trainSteps = (cs: WandbCall[]) => cs.filter((c) => c.call === 'log' && 'train/loss' in c.data!).map((c) => c.step!);
    const before = trainSteps(firstRun);
    const after = trainSteps(calls.slice(firstRun.length));
    expect(before).toEqual(Array.from({ length: 2 * 16 }, (_, i) => i + 1)); // 2 epochs of 16 batches
    expect(after).toEqual(Array.from({ length: 2 * 16 }, (_, i) => 2 * 16 + i + 1));
  });
});
