/**
 * expkit's framework patches run for real: fixtures/instrument/<style>/input.py (tiny models built
 * from a config, synthetic data, no downloads) patched by the built CLI with
 * `--wandb --seed --checkpoint --apply --yes`, run with the real frameworks and the real wandb in
 * offline mode (the venv scripts/test-setup.sh builds). Each style must run clean, log the loss at
 * increasing steps, repeat with the same seed, and resume after a kill (test/support/frameworks.ts).
 */
import { existsSync } from 'node:fs';
import { describeWith, FRAMEWORK_PYTHON, pythonHas } from '../support/components.js';
import {
  copyFixture,
  expectResumeMatchesUninterrupted,
  expectResumes,
  expectRunsAndLogs,
  expectSameSeedSameLosses,
  finalLine,
  runFrameworkScript,
  runStyle,
  type FrameworkStyle,
  type StyleRuns,
} from '../support/frameworks.js';

const hasFrameworks = existsSync(FRAMEWORK_PYTHON) && pythonHas('wandb', FRAMEWORK_PYTHON);
const MINUTES = 60_000;

/**
 * Warnings the frameworks print on their own, patched or not, filtered by exact text:
 * - Lightning 2.6 with torch 2.13: `isinstance(treespec, LeafSpec)` is deprecated (Lightning's _pytree);
 * - Lightning sees `srun` on PATH (the test machine has SLURM for the launch tests) and hints at it;
 * - Lightning's WandbLogger always passes `anonymous=` to wandb.init, which wandb 0.31 warns about:
 *   the warning is wandb's text, but Lightning's call causes it and no caller of WandbLogger avoids it;
 * - TRL's SFTConfig sets the deprecated `gradient_checkpointing` field of transformers 5;
 * - TRL writes a model card at every save with `wandb.run.url` (trl/trainer/base_trainer.py), which
 *   an offline run does not have: wandb warns. An online run has a URL; the patch does not cause it.
 */
const LIGHTNING_OWN = [
  /isinstance\(treespec, LeafSpec\)` is deprecated/,
  /The `srun` command is available on your system but is not used/,
  /wandb: WARNING The anonymous setting has no effect and will be removed in a future version/,
  // A resumed fit saves into the folder its checkpoint came from (this run's own): Lightning warns about any non-empty one.
  /Checkpoint directory .*checkpoints\/train\/\d+-[0-9a-f]{12} exists and is not empty/,
];
const TRL_OWN = [/FutureWarning: `gradient_checkpointing` is deprecated and will be removed in v6/, /^wandb: WARNING URL not available in offline run$/];

export const STYLES: FrameworkStyle[] = [
  {
    style: 'hf_trainer',
    args: ['--output_dir', 'out', '--max_steps', '40', '--save_steps', '10', '--logging_steps', '5', '--learning_rate', '1e-3', '--dataloader_pin_memory', 'false', '--disable_tqdm', 'true'],
    lossKey: 'train/loss',
    stepKey: 'train/global_step',
    checkpointDone: 'out/checkpoint-*/trainer_state.json',
    finalLine: /^final eval_loss /,
    ignoredWarnings: [],
    resumed: (rerun, runs) => expect(runs.length).toBe(2), // the killed run, then the resumed one
  },
  {
    style: 'trl_sft',
    args: ['--output_dir', 'out', '--max_steps', '30', '--save_steps', '10'],
    lossKey: 'train/loss',
    stepKey: 'train/global_step',
    checkpointDone: 'out/checkpoint-*/trainer_state.json',
    finalLine: /^final loss /,
    ignoredWarnings: TRL_OWN,
    resumed: (rerun, runs) => expect(runs.length).toBe(2),
  },
  {
    style: 'lightning',
    args: ['--max_epochs', '4', '--default_root_dir', 'runs'],
    lossKey: 'train_loss',
    stepKey: 'trainer/global_step',
    checkpointDone: 'checkpoints/train/*/last.ckpt',
    finalLine: /^final val_loss /,
    ignoredWarnings: LIGHTNING_OWN,
    resumed: (rerun) => expect(rerun.stderr).toMatch(/Restoring states from the checkpoint path at .*checkpoints\/train\/42-[0-9a-f]{12}\/last\.ckpt/),
  },
  {
    style: 'keras3_torch',
    args: ['--epochs', '4', '--out_dir', 'out'],
    lossKey: 'epoch/loss',
    stepKey: 'epoch/epoch',
    checkpointDone: 'checkpoints/train/*/backup/training_metadata.json',
    finalLine: /^final val_loss /,
    ignoredWarnings: [],
    inexactResume: {
      relative: 0.1,
      why: 'BackupAndRestore restores weights, optimizer and epoch, not the RNG: the resumed fit shuffles and drops out with a freshly seeded generator',
    },
    // BackupAndRestore starts fit at the epoch after the backup: Keras prints no "Epoch 1/4".
    resumed: (rerun) => expect(rerun.stdout).not.toContain('Epoch 1/4'),
  },
  {
    style: 'accelerate',
    args: ['--num_epochs', '4'],
    lossKey: 'train/loss',
    stepKey: '_step',
    checkpointDone: 'checkpoints/train/*/last.pt',
    finalLine: /^epoch 3: /,
    ignoredWarnings: [],
    resumed: (rerun) => expect(rerun.stdout).toMatch(/^expkit: resumed from checkpoints\/train\/[^/\s]+\/last\.pt at 1$/m),
  },
];


/** JAX/flax/optax: the loss the jitted step returns, logged in the loop; the carried pytrees checkpointed with flax.serialization. */
export const JAX_OPTAX: FrameworkStyle = {
  style: 'jax_optax',
  args: ['--num_epochs', '5'],
  lossKey: 'train/loss',
  stepKey: '_step',
  checkpointDone: 'checkpoints/train/*/last.pkl',
  finalLine: /^epoch 4: /,
  ignoredWarnings: [],
  resumed: (rerun) => expect(rerun.stdout).toMatch(/expkit: resumed from checkpoints\/train\/0-[0-9a-f]{12}\/last\.pkl at 1/),
};
STYLES.push(JAX_OPTAX);

const venv = describeWith(`the framework venv (${FRAMEWORK_PYTHON})`, hasFrameworks);

for (const spec of STYLES) {
  venv(`${spec.style} patched with --wandb --seed --checkpoint, run for real (real wandb, offline)`, () => {
    let runs: StyleRuns;
    beforeAll(async () => {
      runs = await runStyle(spec);
    }, 15 * MINUTES);

    test('runs to the end with no warning; wandb logged the loss at increasing steps', () => expectRunsAndLogs(runs));
    test('the same seed logs the same losses', () => expectSameSeedSameLosses(runs));
    test('killed after its first checkpoint, the same command resumes from it, with no warning', () => expectResumes(runs));
    test('the resumed run logs and ends like an uninterrupted run of the same seed', () => expectResumeMatchesUninterrupted(runs));
  });
}

venv('the fixtures themselves run to the end in the venv (no expkit)', () => {
  test.each([...STYLES, JAX_OPTAX].map((s) => [s.style, s] as const))('%s', async (_name, spec) => {
    const dir = copyFixture(spec.style);
    const r = await runFrameworkScript(dir, spec.args);
    expect({ exit: r.exitCode, tail: r.stderr.split('\n').slice(-5).join('\n') }).toEqual({ exit: 0, tail: expect.any(String) });
    expect(finalLine(r, spec.finalLine)).toBeDefined();
  }, 5 * MINUTES);
});
