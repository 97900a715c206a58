/**
 * Lightning Fabric scripts, instrumented and run for real in the framework venv (torch 2, lightning):
 * rank 0 is `fabric.is_global_zero`, read only after `fabric = Fabric(...)` and `fabric.launch()`.
 */
import { execa } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeWith, pythonHas } from '../../support/components.js';
import { fixture, instrumentText, readWandbLog, runDir, styleInput, WANDB_STUB, writeInstrumented } from '../../support/instrument.js';

const VENV_PYTHON = '/opt/expkit-test-venv/bin/python';
const hasFabric = existsSync(VENV_PYTHON) && pythonHas('lightning.fabric', VENV_PYTHON);
const ALL = { wandb: {}, seed: { value: 4, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } };

function venvPython(dir: string, script: string, args: string[], env: Record<string, string>) {
  return execa(VENV_PYTHON, [script, ...args], { cwd: dir, reject: false, env: { WANDB_MODE: 'offline', ...env } });
}

describe('Fabric placement', () => {
  test('an existing Fabric script: init on global rank zero after fabric.launch(), never an accelerate guard', async () => {
    const { text, plan } = await instrumentText(fixture('fabric_loop.py'), ALL, 'fabric_loop.py');
    // It seeds itself; its final fabric.save is never read back, so expkit checkpoints (and resumes) the loop.
    expect(plan.skipped.map((s) => s.kind)).toEqual(['seed']);
    expect(text).toContain('        if fabric.is_global_zero:  # expkit\n            _expkit_save_checkpoint(_expkit_ckpt, _expkit_epoch, model=model, optimizer=opt)  # expkit\n');
    expect(text).not.toContain('accelerator.is_main_process');
    const launch = text.indexOf('    fabric.launch()\n');
    expect(launch).toBeGreaterThan(0);
    expect(text.indexOf('    if fabric.is_global_zero:  # expkit\n        wandb.init(')).toBeGreaterThan(launch);
  });
});

describeWith('lightning in /opt/expkit-test-venv', hasFabric)('Fabric scripts run instrumented', () => {
  test('--wandb --seed --checkpoint: seeded by Fabric, logs from rank 0 only with two processes', async () => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'fabric_train_fn.py', styleInput('fabric_train_fn'), ALL);
    expect(text).toContain('    L.seed_everything(args.seed, workers=True)  # expkit\n');
    expect(text.indexOf('L.seed_everything(')).toBeLessThan(text.indexOf('    model = nn.Sequential('));
    const r = await venvPython(dir, path, ['--devices', '2'], { PYTHONPATH: WANDB_STUB, WANDB_STUB_LOG: join(dir, 'wandb.jsonl') });
    expect(r.stderr).not.toMatch(/Traceback|Error/);
    expect(r.exitCode).toBe(0);
    const calls = readWandbLog(join(dir, 'wandb.jsonl'));
    expect(new Set(calls.map((c) => c.pid)).size).toBe(1);
    expect(calls[0]).toMatchObject({ call: 'init', config: { epochs: 2, devices: 2, seed: 4 } });
    expect(calls[calls.length - 1]!.call).toBe('finish');
    // Each of the two processes sees half of the 256 samples: 4 batches of 32 per epoch.
    expect(calls.filter((c) => c.call === 'log')).toHaveLength(2 * 4);
    // This run's checkpoint: seed 4, and a fingerprint of its configuration.
    const [run] = readdirSync(join(dir, 'ckpt', 'fabric_train_fn'));
    expect(run).toMatch(/^4-[0-9a-f]{12}$/);
    expect(existsSync(join(dir, 'ckpt', 'fabric_train_fn', run!, 'last.pt'))).toBe(true);
  }, 240_000);

  test('with the real wandb package (offline): the run ends cleanly and is written', async () => {
    const dir = runDir();
    const { path } = await writeInstrumented(dir, 'fabric_train_fn.py', styleInput('fabric_train_fn'), { wandb: {}, seed: ALL.seed });
    const r = await venvPython(dir, path, [], {});
    expect(r.stderr).not.toMatch(/Traceback|wandb: (WARNING|ERROR)/);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(join(dir, 'wandb')).some((d) => d.startsWith('offline-run-'))).toBe(true);
    expect(r.stderr).toMatch(/wandb: Run summary:[\s\S]*train\/loss/);
  }, 240_000);
});
