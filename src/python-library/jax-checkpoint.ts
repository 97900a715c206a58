/**
 * Save/resume of a JAX loop's state: the pytrees the loop carries (a flax TrainState, params and
 * optimizer state, PRNG keys) through flax.serialization, with progress and Python/NumPy RNG
 * state, written atomically; the same final marker and fresh-start rules as torch checkpoints
 * (checkpoint.ts). Needs the run-identity helpers.
 */
import { pyFunction } from './definition.js';
import { restoreRng, rngDict } from './rng-state.js';

export const JAX_SAVE = pyFunction('jax_save_checkpoint', [
  'def _expkit_jax_save(path, progress, final=False, **trees):',
  '    """Save the loop\'s pytrees and progress atomically: a temporary file, then os.replace (added by expkit)."""',
  '    import os',
  '    import pickle',
  '    import random',
  '',
  '    import jax',
  '    import numpy',
  '    from flax import serialization',
  '',
  '    state = {"progress": progress, "final": final, "trees": jax.device_get(serialization.to_state_dict(trees))}',
  `    state["rng"] = ${rngDict(['python', 'numpy'])}`,
  '    steps = globals().get("_expkit_state")',
  '    if steps is not None:',
  '        state["expkit_step"] = steps["step"]',
  '    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)',
  '    tmp = f"{path}.tmp{os.getpid()}"',
  '    with open(tmp, "wb") as f:',
  '        pickle.dump(state, f)',
  '    os.replace(tmp, path)',
]);

export const JAX_RESUME = pyFunction('jax_resume_checkpoint', [
  'def _expkit_jax_resume(path, **trees):',
  '    """This run\'s saved progress and pytrees, or (0, the given pytrees) without a checkpoint (added by expkit)."""',
  '    import os',
  '    import pickle',
  '    import random',
  '',
  '    import numpy',
  '    from flax import serialization',
  '',
  '    if not os.path.exists(path):',
  '        return 0, trees',
  '    if _expkit_fresh_start():',
  '        _expkit_set_aside(path)',
  '        return 0, trees',
  '    with open(path, "rb") as f:',
  '        state = pickle.load(f)',
  '    if state.get("final"):',
  '        print(f"expkit: the run saved in {path} had finished", flush=True)',
  '        _expkit_set_aside(path)',
  '        return 0, trees',
  ...restoreRng('state["rng"]', [['python', 'always'], ['numpy', 'always']]),
  '    steps = globals().get("_expkit_state")',
  '    if steps is not None and "expkit_step" in state:',
  '        steps["step"] = state["expkit_step"]',
  '    print(f"expkit: resumed from {path} at {state[\'progress\']}", flush=True)',
  '    return state["progress"], serialization.from_state_dict(trees, state["trees"])',
]);
