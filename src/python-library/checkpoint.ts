/**
 * Atomic save and resume of a torch training loop's state in one file per run (see run-identity.ts
 * for where it lives): the objects' state_dicts, the progress made (epoch or step), loop counters,
 * RNG states, the global step expkit keeps (`_expkit_state` in the instrumented script) and the
 * wandb run id when the script tracks with wandb. A run saved with `final=True` had finished: a
 * rerun starts fresh, keeping it aside. Written through a temporary file and `os.replace`, so a
 * crash never leaves a truncated checkpoint.
 */
import { pyFunction, pyStatements, type PyDefinition } from './definition.js';
import { captureRngInto, restoreRng, rngDict, type Generator } from './rng-state.js';

/**
 * `torch.load` of a whole checkpoint (not only weights), also on torch < 1.13, read from disk once:
 * the run id, the resume and the carried values all ask for it at start-up. Once resume has put the
 * objects' states in place, only the small part (progress, counters, ids) is kept.
 */
export const LOAD = pyFunction('load_checkpoint', [
  'def _expkit_load(path):',
  '    """This run\'s checkpoint as saved, read once per version of the file (added by expkit)."""',
  '    import os',
  '',
  '    import torch',
  '',
  '    version = os.stat(path).st_mtime_ns',
  '    cached = _expkit_loaded.get(path)',
  '    if cached is not None and cached[0] == version:',
  '        return cached[1]',
  '    try:',
  '        state = torch.load(path, map_location="cpu", weights_only=False)',
  '    except TypeError:  # torch before 1.13 has no weights_only',
  '        state = torch.load(path, map_location="cpu")',
  '    _expkit_loaded[path] = (version, state)',
  '    return state',
]);

/** What `_expkit_load` has read, by path: (file version, state). */
export const LOADED = pyStatements({ _expkit_loaded: '_loaded' }, ['_expkit_loaded = {}']);

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
    '    def plain(value):  # what a loop carries that can be saved: numbers, strings, tensors, arrays',
    '        if value is None or isinstance(value, (bool, int, float, str, torch.Tensor)) or type(value).__module__ == "numpy":',
    '            return True',
    '        if isinstance(value, (list, tuple)):',
    '            return all(plain(v) for v in value)',
    '        return isinstance(value, dict) and all(isinstance(k, str) and plain(v) for k, v in value.items())',
    '',
    '    carried = {k: v.detach() if isinstance(v, torch.Tensor) else v for k, v in (counters or {}).items() if plain(v)}',
    `    state = {"progress": progress, "final": final, "counters": carried, "rng": ${rngDict(['python', 'torch'])}}`,
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
    '    try:',
    '        state = _expkit_load(path)',
    '    except FileNotFoundError:  # another process of this run (a DDP rank) set it aside',
    '        return 0',
    '    if state.get("final"):',
    '        print(f"expkit: the run saved in {path} had finished", flush=True)',
    '        _expkit_loaded.pop(path, None)',
    '        _expkit_set_aside(path)',
    '        return 0',
    '    for name, obj in objects.items():',
    '        obj.load_state_dict(state[name])',
    '    version, _ = _expkit_loaded[path]',
    '    _expkit_loaded[path] = (version, {k: v for k, v in state.items() if k in ("progress", "final", "counters", "wandb_run_id", "expkit_step")})',
    ...restoreRng('state["rng"]', generators),
    '    steps = globals().get("_expkit_state")',
    '    if steps is not None and "expkit_step" in state:',
    '        steps["step"] = state["expkit_step"]',
    '    print(f"expkit: resumed from {path} at {state[\'progress\']}", flush=True)',
    '    return state["progress"]',
  ]);
}

/**
 * A loop whose iterations are single optimizer steps saves on a clock rather than every step: a
 * checkpoint is due once EXPKIT_CHECKPOINT_SECONDS (default 300) have passed since the last one
 * (or since the loop started), so a preemption loses minutes, and a long run does not spend its
 * time writing checkpoints.
 */
export const CHECKPOINT_DUE = pyFunction('checkpoint_due', [
  'def _expkit_checkpoint_due(path):',
  '    """Whether this run\'s periodic checkpoint is due: EXPKIT_CHECKPOINT_SECONDS (default 300) since the last (added by expkit)."""',
  '    import os',
  '    import time',
  '',
  '    now = time.monotonic()',
  '    if now - _expkit_saved_at.setdefault(path, now) < float(os.environ.get("EXPKIT_CHECKPOINT_SECONDS", "300")):',
  '        return False',
  '    _expkit_saved_at[path] = now',
  '    return True',
]);

/** When each checkpoint was last due, by path (monotonic seconds). */
export const SAVED_AT = pyStatements({ _expkit_saved_at: '_saved_at' }, ['_expkit_saved_at = {}']);

/**
 * The values a loop carries between iterations (see carried-state.ts), as this run's checkpoint saved
 * them, else as they are now; a tensor goes back to the device its current value is on.
 */
export const CARRIED = pyFunction('carried_values', [
  'def _expkit_carried(path, **now):',
  '    """The loop\'s carried values saved with this run\'s checkpoint, else their values now, in order (added by expkit)."""',
  '    import os',
  '',
  '    saved = _expkit_load(path).get("counters", {}) if os.path.exists(path) else {}',
  '    values = []',
  '    for name, current in now.items():',
  '        value = saved.get(name, current)',
  '        if value is not current and hasattr(value, "to") and hasattr(current, "device"):',
  '            value = value.to(current.device)',
  '        values.append(value)',
  '    return tuple(values)',
]);

export const CHECKPOINT_RUN_ID = pyFunction('checkpoint_run_id', [
  'def _expkit_checkpoint_run_id(path):',
  '    """The wandb run id stored in this run\'s checkpoint, to continue the same run (added by expkit)."""',
  '    import os',
  '',
  '    if _expkit_fresh_start() or not os.path.exists(path):',
  '        return None',
  '    state = _expkit_load(path)',
  '    if state.get("final"):',
  '        _expkit_loaded.pop(path, None)  # a finished run: nothing to resume, keep no copy',
  '        return None',
  '    return state.get("wandb_run_id")',
]);

/** The checkpoint block instrument inserts for a torch loop, in its order (it needs RUN_IDENTITY). */
export function torchCheckpoint(withNumpy: boolean): PyDefinition[] {
  return [LOADED, LOAD, saveCheckpoint(withNumpy), resumeCheckpoint(withNumpy), CARRIED, CHECKPOINT_RUN_ID];
}
