/**
 * A trainer class started by mp.spawn (the PyTorch DDP tutorial's `Trainer`: `train()` loops over
 * epochs, `_run_epoch()` over batches, `_run_batch()` steps), instrumented with all three patches
 * and run for real in two processes.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWith, pythonHas } from '../support/components.js';
import { fixture, readWandbLog, runDir, runPython, WANDB_STUB, writeInstrumented } from '../support/instrument.js';

const ALL = { wandb: {}, seed: { value: 3, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } };

describeWith('python3-torch on /usr/bin/python3', pythonHas('torch'))('class-based trainer under mp.spawn', () => {
  test('seeded and initialised in the spawned worker, logged by rank 0 only, and a rerun resumes', async () => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'class_trainer.py', fixture('class_trainer.py'), ALL);
    // Set-up goes where the trainer is used (main, started by mp.spawn), before model and data are built.
    const main = text.indexOf('def main(rank, world_size, save_every, total_epochs, batch_size):');
    expect(text.indexOf('_expkit_seed_everything(int(os.environ.get("EXPKIT_SEED", "3")))', main)).toBeLessThan(text.indexOf('load_train_objs()', main));
    // The parsed --seed reaches the workers through the environment.
    expect(text).toContain('    os.environ["EXPKIT_SEED"] = str(args.seed)  # expkit');
    // Rank from the trainer instance in its methods.
    expect(text).toContain('        if self.gpu_id == 0:  # expkit\n            wandb.log(');

    const first = await runPython(dir, path, ['2', '1', '--world_size', '2', '--seed', '5']);
    expect(first.exitCode).toBe(0);
    const calls = readWandbLog(join(dir, 'wandb.jsonl'));
    expect(new Set(calls.map((c) => c.pid)).size).toBe(1);
    expect(calls[0]).toMatchObject({ call: 'init', config: { world_size: 2, save_every: 1, total_epochs: 2, batch_size: 32 } });
    expect(calls[calls.length - 1]!.call).toBe('finish');
    // 256 samples split over two ranks, 32 a batch: 4 steps an epoch, logged by rank 0.
    expect(calls.filter((c) => c.call === 'log').map((c) => c.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readdirSync(join(dir, 'ckpt', 'class_trainer'))).toEqual([expect.stringMatching(/^5-[0-9a-f]{12}$/)]);


    // Rank 0 dies right after the first checkpoint (mp.spawn then ends the other): the same command resumes at epoch 2.
    const other = runDir();
    writeFileSync(join(other, 'class_trainer.py'), text);
    writeFileSync(join(other, 'sitecustomize.py'), 'import os\n_replace = os.replace\ndef _die(src, dst, *a, **k):\n    _replace(src, dst, *a, **k)\n    if str(dst).endswith("last.pt"):\n        os._exit(137)\nos.replace = _die\n');
    const killed = await runPython(other, join(other, 'class_trainer.py'), ['3', '1', '--world_size', '2', '--seed', '5'], { PYTHONPATH: `${other}:${WANDB_STUB}` });
    expect(killed.exitCode).not.toBe(0);
    const resumed = await runPython(other, join(other, 'class_trainer.py'), ['3', '1', '--world_size', '2', '--seed', '5']);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toMatch(/expkit: resumed from ckpt\/class_trainer\/5-[0-9a-f]{12}\/last\.pt at 1/);
    expect(resumed.stdout.match(/\[rank 0\] Epoch (\d+)/g)).toEqual(['[rank 0] Epoch 1', '[rank 0] Epoch 2']);
  }, 120_000);
});
