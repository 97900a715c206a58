/**
 * The generated lightning and hf-trainer experiments run for real (the framework venv, real wandb
 * offline): --resume continues from the framework's own checkpoint and the same wandb run (the id
 * kept by the library's wandb_run_id); without --resume the run starts fresh under a new wandb id,
 * keeping Lightning's last.ckpt aside.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FRAMEWORK_PYTHON, describeWith, pythonHas } from '../support/components.js';
import { tempDir, writeScaffold } from '../support/scaffold.js';

/** lr 1e30: the first optimizer step overflows the weights and the loss is NaN from then on. */
async function expectStopsDiverged(p: ReturnType<typeof project>): Promise<void> {
  const out = await p.train('--epochs', '3', '--lr', '1e30');
  expect(out.match(/diverged at epoch 1: non-finite loss; stopping/g)).toHaveLength(1);
  const text = p.resultsText();
  expect(text).not.toMatch(/NaN|Infinity/);
  expect(JSON.parse(text)).toMatchObject({ status: 'diverged', diverged: true, epochs: 1, final: { loss: null } });
}

const MINUTES = 60_000;
const hasFrameworks = existsSync(FRAMEWORK_PYTHON) && pythonHas('wandb', FRAMEWORK_PYTHON);

/** A scaffolded project of FRAMEWORK and a runner of its train.py (seed 3, tiny data). */
function project(framework: string) {
  const root = tempDir();
  const code = writeScaffold(root, { slug: 'e', framework, spec: null });
  const env = { WANDB_MODE: 'offline', WANDB_DIR: tempDir(), WANDB_SILENT: 'true', CUDA_VISIBLE_DEVICES: '' };
  const train = async (...args: string[]) => {
    const flags = ['--config', join(code, 'config.yaml'), '--seed', '3', '--num-samples', '64', '--batch-size', '16', ...args];
    const out = await execa(FRAMEWORK_PYTHON, [join(code, 'train.py'), ...flags], { cwd: root, reject: false, all: true, env });
    expect(out.exitCode).toBe(0);
    return out.all ?? '';
  };
  const checkpoints = join(root, 'checkpoints', 'e', 'seed_3');
  const wandbId = () => readFileSync(join(checkpoints, 'wandb-run-id'), 'utf8');
  const epochs = () => (JSON.parse(readFileSync(join(root, 'results', 'e', 'seed_3.json'), 'utf8')) as { epochs: number }).epochs;
  const resultsText = () => readFileSync(join(root, 'results', 'e', 'seed_3.json'), 'utf8');
  return { train, checkpoints, wandbId, epochs, resultsText };
}

describeWith(`lightning and wandb in ${FRAMEWORK_PYTHON}`, hasFrameworks && pythonHas('lightning', FRAMEWORK_PYTHON))('lightning scaffold runs', () => {
  test('--resume continues from last.ckpt and the same wandb run; a fresh run keeps last.ckpt aside', async () => {
    const p = project('lightning');
    await p.train('--epochs', '1', '--wandb');
    expect(existsSync(join(p.checkpoints, 'last.ckpt'))).toBe(true);
    const id = p.wandbId();

    const resumed = await p.train('--epochs', '2', '--resume', '--wandb');
    expect(resumed).toContain(`expkit: resuming from ${join('checkpoints', 'e', 'seed_3', 'last.ckpt')}`);
    expect(p.wandbId()).toBe(id);
    expect(p.epochs()).toBe(2);

    const fresh = await p.train('--epochs', '1', '--wandb');
    expect(fresh).toContain('expkit: starting fresh; the previous checkpoint is kept at');
    expect(readdirSync(p.checkpoints).filter((f) => /^last\.\d{8}-\d{6}\.ckpt$/.test(f))).toHaveLength(1);
    expect(p.wandbId()).not.toBe(id);
    expect(p.epochs()).toBe(1);
  }, 5 * MINUTES);

  test('a NaN loss stops training in its first epoch; the results are valid JSON with "diverged": true', async () => {
    await expectStopsDiverged(project('lightning'));
  }, 5 * MINUTES);
});

describeWith(`transformers and wandb in ${FRAMEWORK_PYTHON}`, hasFrameworks && pythonHas('transformers', FRAMEWORK_PYTHON))('hf-trainer scaffold runs', () => {
  test('--resume continues from the newest checkpoint-N and the same wandb run', async () => {
    const p = project('hf-trainer');
    await p.train('--epochs', '1', '--wandb');
    const first = readdirSync(p.checkpoints).filter((f) => f.startsWith('checkpoint-'));
    expect(first).toHaveLength(1);
    const saved = join(p.checkpoints, first[0], 'trainer_state.json');
    const savedAt = statSync(saved).mtimeMs;
    const id = p.wandbId();

    await p.train('--epochs', '2', '--resume', '--wandb');
    expect(p.wandbId()).toBe(id);
    // epoch 1 was not trained (and saved) again: the run continued from its checkpoint
    expect(statSync(saved).mtimeMs).toBe(savedAt);
    expect(readdirSync(p.checkpoints).filter((f) => f.startsWith('checkpoint-'))).toHaveLength(2);
  }, 5 * MINUTES);

  test('a NaN loss stops training in its first epoch (the logged loss is not averaged away); valid JSON with "diverged": true', async () => {
    await expectStopsDiverged(project('hf-trainer'));
  }, 5 * MINUTES);
});
