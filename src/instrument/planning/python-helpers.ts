/**
 * Python helper functions expkit inserts after a script's imports. Lines are written with
 * 4-space levels; the edit builder converts them to the file's own indentation. They import
 * what they use inside the function, so they never depend on the script's import aliases.
 */

export function seedHelper(withNumpy: boolean): string[] {
  return [
    'def _expkit_seed_everything(seed, deterministic=False):',
    '    """Seed Python, NumPy and PyTorch so runs repeat (added by expkit)."""',
    '    import os',
    '    import random',
    ...(withNumpy ? ['    import numpy'] : []),
    '    import torch',
    '',
    '    os.environ["PYTHONHASHSEED"] = str(seed)',
    '    random.seed(seed)',
    ...(withNumpy ? ['    numpy.random.seed(seed)'] : []),
    '    torch.manual_seed(seed)',
    '    torch.cuda.manual_seed_all(seed)',
    '    if deterministic:',
    '        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")',
    '        torch.backends.cudnn.deterministic = True',
    '        torch.backends.cudnn.benchmark = False',
    '        torch.use_deterministic_algorithms(True, warn_only=True)',
  ];
}

/**
 * Run identity. A checkpoint belongs to one run: the script, its configuration (a fingerprint of
 * the parsed arguments or config, minus output/resume settings, or of the command line when no
 * configuration is in scope) and its seed pick the folder `DIR/<script>/<seed>-<fingerprint>/`.
 * So a rerun of the same command resumes by itself (a requeued job needs no extra flag),
 * concurrent seeds never share a file, and another configuration starts fresh without touching
 * the old checkpoint. `--no-resume` or EXPKIT_RESUME=0 starts fresh too, keeping the old one aside.
 */
export function runIdentityHelpers(): string[] {
  return [
    '_EXPKIT_NOT_CONFIG = ("resume", "output", "out_dir", "save", "ckpt", "checkpoint", "log_dir", "logdir", "root_dir", "wandb", "device", "accelerator", "gpu", "workers", "local_rank")',
    '_expkit_run_dirs = {}',
    '',
    '',
    'def _expkit_fresh_start():',
    '    """Whether this run was asked to start fresh: --no-resume or EXPKIT_RESUME=0 (added by expkit)."""',
    '    import os',
    '    import sys',
    '',
    '    return "--no-resume" in sys.argv[1:] or os.environ.get("EXPKIT_RESUME", "1").strip().lower() in ("0", "false", "no")',
    '',
    '',
    'def _expkit_run_dir(base_dir, script, config=None):',
    '    """This run\'s folder: BASE/SCRIPT/SEED-FINGERPRINT, the same for every call in a process (added by expkit)."""',
    '    import hashlib',
    '    import json',
    '    import os',
    '    import sys',
    '',
    '    key = (base_dir, script)',
    '    if key not in _expkit_run_dirs:',
    '        if config is None:',
    '            items, seed, argv = [], None, sys.argv[1:]',
    '            for i, arg in enumerate(argv):',
    '                name = arg.split("=", 1)[0].lstrip("-").replace("-", "_").lower()',
    '                value = arg.split("=", 1)[1] if "=" in arg else (argv[i + 1] if i + 1 < len(argv) else None)',
    '                if arg.startswith("-") and name in ("seed", "random_seed", "seed_everything"):',
    '                    seed = value',
    '                if arg.startswith("-") and any(word in name for word in _EXPKIT_NOT_CONFIG):',
    '                    continue',
    '                if i > 0 and argv[i - 1].startswith("-") and "=" not in argv[i - 1] and any(word in argv[i - 1].lstrip("-").replace("-", "_").lower() for word in _EXPKIT_NOT_CONFIG):',
    '                    continue',
    '                items.append(arg)',
    '        else:',
    '            # Settings only: objects in scope (a model in locals()) print differently every run.',
    '            items = {k: v for k, v in sorted(dict(config).items()) if isinstance(v, (str, int, float, bool, type(None), list, tuple)) and not any(word in str(k).lower() for word in _EXPKIT_NOT_CONFIG)}',
    '            seed = next((items[k] for k in ("seed", "random_seed", "manual_seed", "rng_seed") if k in items), None)',
    '        if seed is None:',
    '            seed = os.environ.get("EXPKIT_SEED")',
    '        text = json.dumps(items, sort_keys=True, default=str)',
    '        fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]',
    '        _expkit_run_dirs[key] = os.path.join(base_dir, script, f"{\'none\' if seed is None else seed}-{fingerprint}")',
    '    return _expkit_run_dirs[key]',
    '',
    '',
    'def _expkit_checkpoint_file(base_dir, script, config=None, name="last.pt"):',
    '    """This run\'s checkpoint file: BASE/SCRIPT/SEED-FINGERPRINT/last.pt (added by expkit)."""',
    '    import os',
    '',
    '    return os.path.join(_expkit_run_dir(base_dir, script, config), name)',
    '',
    '',
    'def _expkit_set_aside(path):',
    '    """Move a previous checkpoint out of the way of a fresh start, never deleting it (added by expkit)."""',
    '    import os',
    '    import time',
    '',
    '    stem, ext = os.path.splitext(path)',
    '    aside = f"{stem}.{time.strftime(\'%Y%m%d-%H%M%S\')}{ext}"',
    '    os.replace(path, aside)',
    '    print(f"expkit: starting fresh; the previous checkpoint is kept at {aside}", flush=True)',
  ];
}

/** Save/resume of a hand-written loop's state (torch), written atomically; needs runIdentityHelpers. */
export function checkpointHelpers(withNumpy: boolean): string[] {
  return [
    'def _expkit_load(path):',
    '    import torch',
    '',
    '    try:',
    '        return torch.load(path, map_location="cpu", weights_only=False)',
    '    except TypeError:  # torch before 1.13 has no weights_only',
    '        return torch.load(path, map_location="cpu")',
    '',
    '',
    'def _expkit_save_checkpoint(path, progress, counters=None, final=False, **objects):',
    '    """Save training state atomically: a temporary file, then os.replace (added by expkit)."""',
    '    import os',
    '    import random',
    '    import sys',
    ...(withNumpy ? ['    import numpy'] : []),
    '    import torch',
    '',
    '    state = {"progress": progress, "final": final, "counters": counters or {}, "rng": {"python": random.getstate(), "torch": torch.get_rng_state()}}',
    ...(withNumpy ? ['    state["rng"]["numpy"] = numpy.random.get_state()'] : []),
    '    if torch.cuda.is_available():',
    '        state["rng"]["cuda"] = torch.cuda.get_rng_state_all()',
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
    '',
    '',
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
    '    random.setstate(state["rng"]["python"])',
    ...(withNumpy ? ['    if "numpy" in state["rng"]:', '        numpy.random.set_state(state["rng"]["numpy"])'] : []),
    '    torch.set_rng_state(state["rng"]["torch"])',
    '    if "cuda" in state["rng"] and torch.cuda.is_available():',
    '        torch.cuda.set_rng_state_all(state["rng"]["cuda"])',
    '    steps = globals().get("_expkit_state")',
    '    if steps is not None and "expkit_step" in state:',
    '        steps["step"] = state["expkit_step"]',
    '    print(f"expkit: resumed from {path} at {state[\'progress\']}", flush=True)',
    '    return state["progress"]',
    '',
    '',
    'def _expkit_counter(path, name, default):',
    '    """A loop counter saved with this run\'s checkpoint, or its value now (added by expkit)."""',
    '    import os',
    '',
    '    if not os.path.exists(path):',
    '        return default',
    '    return _expkit_load(path).get("counters", {}).get(name, default)',
    '',
    '',
    'def _expkit_checkpoint_run_id(path):',
    '    """The wandb run id stored in this run\'s checkpoint, to continue the same run (added by expkit)."""',
    '    import os',
    '',
    '    if _expkit_fresh_start() or not os.path.exists(path):',
    '        return None',
    '    state = _expkit_load(path)',
    '    return None if state.get("final") else state.get("wandb_run_id")',
  ];
}

export function hfLastCheckpointHelper(): string[] {
  return [
    'def _expkit_last_checkpoint(output_dir):',
    '    """The newest checkpoint-N folder in output_dir, or None to start fresh (added by expkit)."""',
    '    import os',
    '',
    '    from transformers.trainer_utils import get_last_checkpoint',
    '',
    '    return get_last_checkpoint(output_dir) if os.path.isdir(output_dir) else None',
  ];
}

/**
 * A Keras callback that logs epoch metrics to wandb on every Keras backend. wandb's own Keras
 * callbacks (`wandb.integration.keras`) import TensorFlow, so a Keras 3 script on the torch or JAX
 * backend would crash at import.
 */
export function kerasWandbLoggerHelper(): string[] {
  return [
    'def _expkit_wandb_metrics_logger(keras):',
    '    """Log Keras epoch metrics to wandb as epoch/<name>, on any Keras backend (added by expkit)."""',
    '    import wandb',
    '',
    '    def log(epoch, logs):',
    '        wandb.log({**{f"epoch/{name}": float(value) for name, value in (logs or {}).items()}, "epoch/epoch": epoch})',
    '',
    '    return keras.callbacks.LambdaCallback(on_epoch_end=log)',
  ];
}

/**
 * `ckpt_path` for Lightning's `fit`: "last" only when a ModelCheckpoint of the trainer already has a
 * last.ckpt; Lightning warns on every fresh run given "last" with nothing to resume.
 */
export function lightningLastCheckpointHelper(): string[] {
  return [
    'def _expkit_resume_last(trainer):',
    '    """This run\'s last.ckpt from the trainer\'s ModelCheckpoint, or None to start fresh (added by expkit)."""',
    '    for callback in trainer.checkpoint_callbacks:',
    '        path = _expkit_resume_file(callback.dirpath, "last.ckpt") if callback.dirpath else None',
    '        if path is not None:',
    '            return path',
    '    return None',
  ];
}

/**
 * A Lightning callback whose state is the global RNG states: Lightning's checkpoints restore the
 * model, optimizer and loops but not the generators, so without it a resumed fit shuffles and
 * drops out differently from an uninterrupted one.
 */
export function lightningRngCallbackHelper(ns: string): string[] {
  return [
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
  ];
}

/**
 * Framework checkpoints (Lightning's last.ckpt): the file to resume from, or None to start fresh
 * (setting an old one aside on --no-resume). Needs runIdentityHelpers.
 */
export function resumeFileHelper(): string[] {
  return [
    'def _expkit_resume_file(run_dir, name):',
    '    """The checkpoint this run resumes from, or None to start fresh (added by expkit)."""',
    '    import os',
    '',
    '    path = os.path.join(run_dir, name)',
    '    if not os.path.exists(path):',
    '        return None',
    '    if _expkit_fresh_start():',
    '        _expkit_set_aside(path)',
    '        return None',
    '    print(f"expkit: resuming from {path}", flush=True)',
    '    return path',
  ];
}

/** A wandb run id kept in the run's folder, so a resumed run (a requeued job) continues the same wandb run. */
export function wandbRunIdHelper(): string[] {
  return [
    'def _expkit_wandb_run_id(run_dir):',
    '    """This run\'s wandb id, the same after a restart; a new one on a fresh start (added by expkit)."""',
    '    import os',
    '    import uuid',
    '',
    '    path = os.path.join(run_dir, "wandb-run-id")',
    '    if os.path.exists(path) and not _expkit_fresh_start():',
    '        with open(path, encoding="utf-8") as f:',
    '            return f.read().strip()',
    '    os.makedirs(run_dir, exist_ok=True)',
    '    run_id = uuid.uuid4().hex[:8]',
    '    with open(path, "w", encoding="utf-8") as f:',
    '        f.write(run_id)',
    '    return run_id',
  ];
}

/** Seeding for JAX scripts: Python and NumPy (JAX's own keys are explicit `PRNGKey(seed)` values). */
export function jaxSeedHelper(): string[] {
  return [
    'def _expkit_seed_everything(seed, deterministic=False):',
    '    """Seed Python and NumPy so runs repeat; JAX keys come from PRNGKey(seed) (added by expkit)."""',
    '    import os',
    '    import random',
    '',
    '    import numpy',
    '',
    '    os.environ["PYTHONHASHSEED"] = str(seed)',
    '    random.seed(seed)',
    '    numpy.random.seed(seed)',
  ];
}

/**
 * Save/resume of a JAX loop's state: the pytrees the loop carries (a flax TrainState, params and
 * optimizer state, PRNG keys) through flax.serialization, with progress and Python/NumPy RNG
 * state, written atomically. Needs runIdentityHelpers.
 */
export function jaxCheckpointHelpers(): string[] {
  return [
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
    '    state["rng"] = {"python": random.getstate(), "numpy": numpy.random.get_state()}',
    '    steps = globals().get("_expkit_state")',
    '    if steps is not None:',
    '        state["expkit_step"] = steps["step"]',
    '    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)',
    '    tmp = f"{path}.tmp{os.getpid()}"',
    '    with open(tmp, "wb") as f:',
    '        pickle.dump(state, f)',
    '    os.replace(tmp, path)',
    '',
    '',
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
    '    random.setstate(state["rng"]["python"])',
    '    numpy.random.set_state(state["rng"]["numpy"])',
    '    steps = globals().get("_expkit_state")',
    '    if steps is not None and "expkit_step" in state:',
    '        steps["step"] = state["expkit_step"]',
    '    print(f"expkit: resumed from {path} at {state[\'progress\']}", flush=True)',
    '    return state["progress"], serialization.from_state_dict(trees, state["trees"])',
  ];
}
