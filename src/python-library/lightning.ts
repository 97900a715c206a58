/** Lightning: resuming from this run's last.ckpt, and the RNG states Lightning's checkpoints leave out. */
import { pyFunction, type PyDefinition } from './definition.js';

/**
 * `ckpt_path` for Lightning's `fit`: "last" only when a ModelCheckpoint of the trainer already has a
 * last.ckpt; Lightning warns on every fresh run given "last" with nothing to resume. Needs RESUME_FILE.
 */
export const RESUME_LAST = pyFunction('resume_last', [
  'def _expkit_resume_last(trainer):',
  '    """This run\'s last.ckpt from the trainer\'s ModelCheckpoint, or None to start fresh (added by expkit)."""',
  '    for callback in trainer.checkpoint_callbacks:',
  '        path = _expkit_resume_file(callback.dirpath, "last.ckpt") if callback.dirpath else None',
  '        if path is not None:',
  '            return path',
  '    return None',
]);

/** Adds `--ckpt_path=…` to a LightningCLI `fit` command line when this run has a last.ckpt. Needs RESUME_FILE. */
export const CLI_RESUME = pyFunction('cli_resume', [
  'def _expkit_cli_resume(checkpoint_dir):',
  '    """Resume `fit` from checkpoint_dir/last.ckpt when it exists and no --ckpt_path is given (added by expkit)."""',
  '    import sys',
  '',
  '    args = sys.argv[1:]',
  '    if not args or args[0] != "fit" or any(a == "--ckpt_path" or a.startswith("--ckpt_path=") for a in args):',
  '        return',
  '    path = _expkit_resume_file(checkpoint_dir, "last.ckpt")',
  '    if path is not None:',
  '        sys.argv.append(f"--ckpt_path={path}")',
]);

/**
 * A Lightning callback whose state is the global RNG states: Lightning's checkpoints restore the
 * model, optimizer and loops but not the generators, so without it a resumed fit shuffles and
 * drops out differently from an uninterrupted one. NS is the package the script imports Lightning
 * from (`lightning.pytorch` or `pytorch_lightning`).
 */
export function rngStateCallback(ns: string): PyDefinition {
  return pyFunction('rng_state_callback', [
    'def _expkit_rng_state_callback():',
    '    """A callback that saves and restores the Python, NumPy and torch RNG states with each checkpoint (added by expkit)."""',
    '    import random',
    '',
    '    import numpy',
    '    import torch',
    `    from ${ns}.callbacks import Callback`,
    '',
    '    class _ExpkitRngState(Callback):',
    '        # Plain lists, ints and tensors: Lightning loads checkpoints with weights_only=True.',
    '        def state_dict(self):',
    '            kind, keys, pos, has_gauss, cached = numpy.random.get_state()',
    '            return {"python": random.getstate(), "numpy": [kind, keys.tolist(), pos, has_gauss, cached], "torch": torch.get_rng_state()}',
    '',
    '        def load_state_dict(self, state_dict):',
    '            kind, keys, pos, has_gauss, cached = state_dict["numpy"]',
    '            random.setstate(state_dict["python"])',
    '            numpy.random.set_state((kind, numpy.array(keys, dtype=numpy.uint32), pos, has_gauss, cached))',
    '            torch.set_rng_state(state_dict["torch"])',
    '',
    '    return _ExpkitRngState()',
  ]);
}
