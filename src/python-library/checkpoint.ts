/**
 * Atomic save and resume of a torch training loop's state in one file per run (see run-identity.ts
 * for where it lives): the objects' state_dicts, the progress made (epoch or step), loop counters,
 * RNG states, the global step expkit keeps (`_expkit_state` in the instrumented script) and the
 * wandb run id when the script tracks with wandb. A run saved with `final=True` had finished: a
 * rerun starts fresh, keeping it aside. Written through a temporary file and `os.replace`, so a
 * crash never leaves a truncated checkpoint.
 */
import { pyFunction, type PyDefinition } from './definition.js';
import { captureRngInto, restoreRng, rngDict, type Generator } from './rng-state.js';

/** `torch.load` of a whole checkpoint (not only weights), also on torch < 1.13. */
export const LOAD = pyFunction('load_checkpoint', [
  'def _expkit_load(path):',
  '    import torch',
  '',
  '    try:',
  '        return torch.load(path, map_location="cpu", weights_only=False)',
  '    except TypeError:  # torch before 1.13 has no weights_only',
  '        return torch.load(path, map_location="cpu")',
]);

export function saveCheckpoint(withNumpy: boolean): PyDefinition {
  return pyFunction('save_checkpoint', [
    'def _expkit_save_checkpoint(path, progress, counters=None, final=False, **objects):',
    '    """Save training state atomically: a temporary file, then os.replace (added by expkit)."""',
    '    import os',
    '    import random',
    '    import sys',
    ...(withNumpy ? ['    import numpy'] : []),
    '    import torch',
    '',
    `    state = {"progress": progress, "final": final, "counters": counters or {}, "rng": ${rngDict(['python', 'torch'])}}`,
    ...(withNumpy ? captureRngInto('state["rng"]', 'numpy') : []),
    ...captureRngInto('state["rng"]', 'cuda'),
    '    for name, obj in objects.items():',
    '        state[name] = obj.state_dict()',
    '    steps = globals().get("_expkit_state")',
    '    if steps is not None:',
    '        state["expkit_step"] = steps["step"]',
    '    tracker = sys.modules.get("wandb")  # only when the script itself tracks with wandb',
    '    if tracker is not None and getattr(tracker, "run", None) is not None:',
    '        state["wandb_run_id"] = tracker.run.id',
    '    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)',
    '    tmp = f"{path}.tmp{os.getpid()}"',
    '    torch.save(state, tmp)',
    '    os.replace(tmp, path)',
  ]);
}

export function resumeCheckpoint(withNumpy: boolean): PyDefinition {
  const generators: Array<[Generator, 'always' | 'if-saved']> = [
    ['python', 'always'],
    ...(withNumpy ? [['numpy', 'if-saved'] as [Generator, 'if-saved']] : []),
    ['torch', 'always'],
    ['cuda', 'if-saved'],
  ];
  return pyFunction('resume_checkpoint', [
    'def _expkit_resume(path, **objects):',
    '    """Restore this run\'s latest checkpoint into objects; returns the progress saved, 0 without one (added by expkit)."""',
    '    import os',
    '    import random',
    ...(withNumpy ? ['    import numpy'] : []),
    '    import torch',
    '',
    '    if not os.path.exists(path):',
    '        return 0',
    '    if _expkit_fresh_start():',
    '        _expkit_set_aside(path)',
    '        return 0',
    '    state = _expkit_load(path)',
    '    if state.get("final"):',
    '        print(f"expkit: the run saved in {path} had finished", flush=True)',
    '        _expkit_set_aside(path)',
    '        return 0',
    '    for name, obj in objects.items():',
    '        obj.load_state_dict(state[name])',
    ...restoreRng('state["rng"]', generators),
    '    steps = globals().get("_expkit_state")',
    '    if steps is not None and "expkit_step" in state:',
    '        steps["step"] = state["expkit_step"]',
    '    print(f"expkit: resumed from {path} at {state[\'progress\']}", flush=True)',
    '    return state["progress"]',
  ]);
}

export const CHECKPOINT_COUNTER = pyFunction('checkpoint_counter', [
  'def _expkit_counter(path, name, default):',
  '    """A loop counter saved with this run\'s checkpoint, or its value now (added by expkit)."""',
  '    import os',
  '',
  '    if not os.path.exists(path):',
  '        return default',
  '    return _expkit_load(path).get("counters", {}).get(name, default)',
]);

export const CHECKPOINT_RUN_ID = pyFunction('checkpoint_run_id', [
  'def _expkit_checkpoint_run_id(path):',
  '    """The wandb run id stored in this run\'s checkpoint, to continue the same run (added by expkit)."""',
  '    import os',
  '',
  '    if _expkit_fresh_start() or not os.path.exists(path):',
  '        return None',
  '    state = _expkit_load(path)',
  '    return None if state.get("final") else state.get("wandb_run_id")',
]);

/** The checkpoint block instrument inserts for a torch loop, in its order (it needs RUN_IDENTITY). */
export function torchCheckpoint(withNumpy: boolean): PyDefinition[] {
  return [LOAD, saveCheckpoint(withNumpy), resumeCheckpoint(withNumpy), CHECKPOINT_COUNTER, CHECKPOINT_RUN_ID];
}
