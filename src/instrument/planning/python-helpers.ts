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

/** Save/resume helpers: state dicts, progress, RNG states and the wandb run id, written atomically. */
export function checkpointHelpers(withNumpy: boolean, withWandb: boolean): string[] {
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
    'def _expkit_save_checkpoint(path, progress, **objects):',
    '    """Save training state atomically: a temporary file, then os.replace (added by expkit)."""',
    '    import os',
    '    import random',
    ...(withNumpy ? ['    import numpy'] : []),
    '    import torch',
    '',
    '    state = {"progress": progress, "rng": {"python": random.getstate(), "torch": torch.get_rng_state()}}',
    ...(withNumpy ? ['    state["rng"]["numpy"] = numpy.random.get_state()'] : []),
    '    if torch.cuda.is_available():',
    '        state["rng"]["cuda"] = torch.cuda.get_rng_state_all()',
    '    for name, obj in objects.items():',
    '        state[name] = obj.state_dict()',
    ...(withWandb
      ? ['    import wandb', '', '    if wandb.run is not None:', '        state["wandb_run_id"] = wandb.run.id']
      : []),
    '    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)',
    '    tmp = f"{path}.tmp{os.getpid()}"',
    '    torch.save(state, tmp)',
    '    os.replace(tmp, path)',
    '',
    '',
    'def _expkit_resume(path, **objects):',
    '    """Restore the latest checkpoint into objects; returns the progress saved, 0 without one (added by expkit)."""',
    '    import os',
    '    import random',
    ...(withNumpy ? ['    import numpy'] : []),
    '    import torch',
    '',
    '    if not os.path.exists(path):',
    '        return 0',
    '    state = _expkit_load(path)',
    '    for name, obj in objects.items():',
    '        obj.load_state_dict(state[name])',
    '    random.setstate(state["rng"]["python"])',
    ...(withNumpy ? ['    if "numpy" in state["rng"]:', '        numpy.random.set_state(state["rng"]["numpy"])'] : []),
    '    torch.set_rng_state(state["rng"]["torch"])',
    '    if "cuda" in state["rng"] and torch.cuda.is_available():',
    '        torch.cuda.set_rng_state_all(state["rng"]["cuda"])',
    '    print(f"expkit: resumed from {path} at {state[\'progress\']}", flush=True)',
    '    return state["progress"]',
    ...(withWandb
      ? [
          '',
          '',
          'def _expkit_checkpoint_run_id(path):',
          '    """The wandb run id stored in the latest checkpoint, to continue the same run (added by expkit)."""',
          '    import os',
          '',
          '    return _expkit_load(path).get("wandb_run_id") if os.path.exists(path) else None',
        ]
      : []),
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
