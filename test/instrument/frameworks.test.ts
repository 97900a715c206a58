/**
 * Framework shortcuts win over hand-injected code. HF, Lightning and Keras cannot be installed
 * here, so these assert the exact patched call sites on the fixtures, and that the result compiles.
 */
import { spawnSync } from 'node:child_process';
import { describeWith, pythonHas, SYSTEM_PYTHON } from '../support/components.js';
import { fixture, instrumentText } from '../support/instrument.js';

const all = { wandb: { project: 'demo' }, seed: { value: 42, deterministic: false }, checkpoint: { every: 1, dir: 'ckpt' } };

function compiles(text: string): string {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import sys; compile(sys.stdin.read(), "patched.py", "exec")'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? 'ok' : r.stderr;
}

/** Lines the patch added (without the diff's context). */
function added(before: string, after: string): string[] {
  const old = new Set(before.split(/\r?\n/));
  return after.split(/\r?\n/).filter((l) => !old.has(l));
}

describeWith('python3 (compile check)', pythonHas('sys'))('framework shortcuts', () => {
  test('HF Trainer with TrainingArguments: report_to="wandb" replaces "none", WANDB_PROJECT, resume from the last checkpoint', async () => {
    const source = fixture('hf_trainer_plain.py');
    const { text, plan } = await instrumentText(source, all, 'hf_trainer_plain.py');
    // `TrainingArguments(seed=1234)` seeds the Trainer, not the model built before it: set_seed goes before the model.
    expect(plan.skipped).toEqual([]);
    const lines = added(source, text);
    expect(lines).toContain('set_seed(1234)  # expkit');
    expect(text.indexOf('set_seed(1234)  # expkit')).toBeLessThan(text.indexOf('model = AutoModelForSequenceClassification'));
    expect(lines).toContain('    report_to="wandb",  # expkit');
    expect(lines).toContain('os.environ.setdefault("WANDB_PROJECT", "demo")  # expkit');
    expect(lines).toContain('trainer.train(resume_from_checkpoint=_expkit_last_checkpoint(training_args.output_dir))  # expkit');
    expect(text).not.toMatch(/wandb\.(init|log)\(/);
    // Every line the patch added or changed carries the marker.
    for (const line of lines.filter((l) => l.trim())) expect(line).toMatch(/# expkit$/);
    expect(compiles(text)).toBe('ok');
  });

  test('HF Trainer with HfArgumentParser: report_to and the seed set on the parsed TrainingArguments', async () => {
    const source = fixture('hf_trainer_dataclasses.py');
    const { text, plan } = await instrumentText(source, { wandb: {} }, 'hf_trainer_dataclasses.py');
    expect(plan.skipped).toEqual([]);
    // Parsed from the command line: the user's own --report_to trackers are kept, wandb added.
    expect(added(source, text)).toContain('    training_args.report_to = [*(tracker for tracker in training_args.report_to if tracker != "wandb"), "wandb"]  # expkit');
    expect(compiles(text)).toBe('ok');
  });

  test('Lightning (pytorch_lightning): WandbLogger from the same namespace, save_last on the existing ModelCheckpoint, ckpt_path "last" once last.ckpt exists', async () => {
    const source = fixture('lightning_pl.py');
    const { text } = await instrumentText(source, all, 'lightning_pl.py');
    const lines = added(source, text);
    expect(lines).toContain('from pytorch_lightning.loggers import WandbLogger  # expkit');
    expect(lines).toContain('        logger=WandbLogger(project="demo"),  # expkit');
    // The script's own ModelCheckpoint keeps last.ckpt in this run's folder; the RNG states travel with it.
    expect(lines).toContain('    checkpoint_cb = pl.callbacks.ModelCheckpoint(monitor="val_loss", save_top_k=1, mode="min", save_last=True, dirpath=_expkit_run_dir("ckpt", "lightning_pl", vars(args)))  # expkit');
    expect(lines).toContain('        callbacks=[checkpoint_cb, _expkit_rng_state_callback()],  # expkit');
    expect(lines).toContain('    trainer.fit(model, dm, ckpt_path=_expkit_resume_last(trainer))  # expkit');
    expect(text).not.toContain('lightning.pytorch');
    expect(compiles(text)).toBe('ok');
  });

  test('Lightning 2 (lightning): the lightning.pytorch namespace, seed_everything with workers', async () => {
    const source = fixture('lightning2.py');
    const { text } = await instrumentText(source, { wandb: {}, checkpoint: { every: 1, dir: 'ckpt' } }, 'lightning2.py');
    const lines = added(source, text).join('\n');
    expect(lines).toContain('from lightning.pytorch.loggers import WandbLogger  # expkit');
    expect(lines).toMatch(/WandbLogger\(project="expkit"\)/);
    expect(lines).toMatch(/ModelCheckpoint\(dirpath=_expkit_run_dir\("ckpt", "lightning2", None\), save_last=True\), _expkit_rng_state_callback\(\)\]/);
    expect(lines).toMatch(/ckpt_path=_expkit_resume_last\(trainer\)/);
    expect(compiles(text)).toBe('ok');
  });

  test('LightningCLI: the logger and seed go through the CLI defaults', async () => {
    const source = fixture('lightning_cli.py');
    const { text, plan } = await instrumentText(source, { wandb: { project: 'cli' } }, 'lightning_cli.py');
    expect(plan.skipped).toEqual([]);
    expect(text).toContain('trainer_defaults={"logger": {"class_path": "lightning.pytorch.loggers.WandbLogger", "init_args": {"project": "cli"}}}');
    expect(compiles(text)).toBe('ok');
  });

  test('Keras 3 without TensorFlow: wandb.init before fit, expkit\'s metrics callback (wandb\'s imports TensorFlow) merged into callbacks, ModelCheckpoint and BackupAndRestore', async () => {
    const source = fixture('keras3_fit.py');
    const { text } = await instrumentText(source, all, 'keras3_fit.py');
    const lines = added(source, text);
    expect(text).not.toContain('wandb.integration.keras');
    expect(lines).toContain('def _expkit_wandb_metrics_logger(keras):  # expkit');
    expect(lines.some((l) => /^ {4}wandb\.init\(project="demo"\) {2}# expkit$/.test(l))).toBe(true);
    const callbacks = lines.find((l) => l.includes('callbacks=['))!;
    expect(callbacks).toContain('keras.callbacks.EarlyStopping(');
    expect(callbacks).toContain('_expkit_wandb_metrics_logger(keras)');
    // In this run's own folder (script, configuration, seed), set aside on a fresh start.
    expect(callbacks).toContain('keras.callbacks.BackupAndRestore(_expkit_run_path(_expkit_run_dir("ckpt", "keras3_fit", None), "backup"))');
    expect(text).not.toContain('WandbCallback');
    expect(compiles(text)).toBe('ok');
  });

  test('tf.keras with a callbacks variable: extended at run time (it may be None, one callback or a list)', async () => {
    const source = fixture('tf_keras_callbacks.py');
    const { text } = await instrumentText(source, { wandb: {} }, 'tf_keras_callbacks.py');
    expect(added(source, text).join('\n')).toMatch(/callbacks=_expkit_extend\(callbacks, WandbMetricsLogger\(\)\)/);
    expect(text).toContain('def _expkit_extend(value, *items):  # expkit');
    expect(compiles(text)).toBe('ok');
  });

  test('accelerate: Accelerator(log_with="wandb"), init_trackers, accelerator.log in the loop, end_training', async () => {
    const source = fixture('accelerate_loop.py');
    const { text } = await instrumentText(source, { wandb: { project: 'acc' } }, 'accelerate_loop.py');
    const lines = added(source, text).join('\n');
    expect(lines).toMatch(/Accelerator\(.*log_with="wandb"/);
    expect(lines).toMatch(/accelerator\.init_trackers\("acc", config=vars\(args\)\)/);
    expect(lines).toMatch(/accelerator\.log\(\{"train\/loss": loss\.item\(\)/);
    expect(lines).toMatch(/accelerator\.end_training\(\)/);
    expect(text).not.toMatch(/wandb\.init/);
    expect(compiles(text)).toBe('ok');
  });

  test('already tracked and seeded: only resumable checkpoints are added (its per-epoch save has no optimizer state and is never loaded)', async () => {
    const { text, plan } = await instrumentText(fixture('wandb_existing.py'), all, 'wandb_existing.py');
    expect(plan.skipped.map((s) => s.kind).sort()).toEqual(['seed', 'wandb']);
    expect(plan.skipped.find((s) => s.kind === 'wandb')!.reason).toMatch(/already tracks with wandb \(line 10/);
    expect(new Set(plan.edits.map((e) => e.kind))).toEqual(new Set(['checkpoint']));
    // The script's own step counter is saved and restored, so its wandb steps continue after a resume.
    expect(text).toContain('    if _expkit_done:  # expkit\n        global_step = _expkit_carried(_expkit_ckpt, global_step=global_step)[0]  # expkit');
    expect(text).toContain('_expkit_save_checkpoint(_expkit_ckpt, _expkit_epoch, counters={"global_step": global_step}, model=model, optimizer=optimizer)');
    expect(compiles(text)).toBe('ok');
  });

  test('no training loop: nothing is placed and the reason names it', async () => {
    const { text, plan } = await instrumentText(fixture('generate_only.py'), { wandb: {}, checkpoint: { every: 1, dir: 'c' } }, 'generate_only.py');
    expect(text).toBe(fixture('generate_only.py'));
    expect(plan.skipped).toEqual([
      // In the order users name the kinds (--wandb --seed --checkpoint), whatever order they were planned in.
      { kind: 'wandb', reason: 'no training loop found: nothing to log' },
      { kind: 'checkpoint', reason: 'no training loop found: nothing to checkpoint' },
    ]);
  });

  test('a file with syntax errors is refused as a whole', async () => {
    const { text, plan } = await instrumentText(fixture('syntax_error.py'), all, 'syntax_error.py');
    expect(text).toBe(fixture('syntax_error.py'));
    expect(plan.skipped.every((s) => /syntax errors \(line 34, 39/.test(s.reason))).toBe(true);
  });
});
