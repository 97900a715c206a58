/**
 * Run identity. A checkpoint belongs to one run: the script, its configuration (a fingerprint of
 * the parsed arguments or config, minus output/resume settings, or of the command line when no
 * configuration is in scope) and its seed pick the folder `DIR/<script>/<seed>-<fingerprint>/`.
 * So a rerun of the same command resumes by itself (a requeued job needs no extra flag),
 * concurrent seeds never share a file, and another configuration starts fresh without touching
 * the old checkpoint. `--no-resume` or EXPKIT_RESUME=0 starts fresh too, keeping the old one aside.
 */
import { pyFunction, pyStatements } from './definition.js';

/** Settings that name where a run writes or how it runs, not what it computes: left out of the fingerprint. */
export const NOT_CONFIG = pyStatements({ _EXPKIT_NOT_CONFIG: 'NOT_CONFIG', _expkit_run_dirs: '_run_dirs' }, [
  '_EXPKIT_NOT_CONFIG = ("resume", "output", "out_dir", "save", "ckpt", "checkpoint", "log_dir", "logdir", "root_dir", "wandb", "device", "accelerator", "gpu", "workers", "local_rank")',
  '_expkit_run_dirs = {}',
]);

/** Whether this run was asked to start fresh: `--no-resume` or EXPKIT_RESUME=0. */
export const FRESH_START = pyFunction('fresh_start', [
  'def _expkit_fresh_start():',
  '    """Whether this run was asked to start fresh: --no-resume or EXPKIT_RESUME=0 (added by expkit)."""',
  '    import os',
  '    import sys',
  '',
  '    return "--no-resume" in sys.argv[1:] or os.environ.get("EXPKIT_RESUME", "1").strip().lower() in ("0", "false", "no")',
]);

export const RUN_DIR = pyFunction('run_dir', [
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
]);

export const CHECKPOINT_FILE = pyFunction('checkpoint_file', [
  'def _expkit_checkpoint_file(base_dir, script, config=None, name="last.pt"):',
  '    """This run\'s checkpoint file: BASE/SCRIPT/SEED-FINGERPRINT/last.pt (added by expkit)."""',
  '    import os',
  '',
  '    return os.path.join(_expkit_run_dir(base_dir, script, config), name)',
]);

/** A fresh start never deletes: the previous checkpoint is renamed `NAME.<time>.EXT` next to it. */
export const SET_ASIDE = pyFunction('set_aside', [
  'def _expkit_set_aside(path):',
  '    """Move a previous checkpoint out of the way of a fresh start, never deleting it (added by expkit)."""',
  '    import os',
  '    import time',
  '',
  '    stem, ext = os.path.splitext(path)',
  '    aside, n = f"{stem}.{time.strftime(\'%Y%m%d-%H%M%S\')}{ext}", 1',
  '    while os.path.exists(aside):  # two fresh starts within a second',
  '        aside, n = f"{stem}.{time.strftime(\'%Y%m%d-%H%M%S\')}-{n}{ext}", n + 1',
  '    try:',
  '        os.replace(path, aside)',
  '    except FileNotFoundError:  # another process of this run (a DDP rank) set it aside first',
  '        return',
  '    print(f"expkit: starting fresh; the previous checkpoint is kept at {aside}", flush=True)',
]);

/**
 * A framework's checkpoint path in a run folder that the framework resumes from by itself (Keras'
 * BackupAndRestore folder): the path, with an old one set aside first on a fresh start.
 */
export const RUN_PATH = pyFunction('run_path', [
  'def _expkit_run_path(run_dir, name):',
  '    """RUN_DIR/NAME for a framework that resumes from it by itself; set aside first on a fresh start (added by expkit)."""',
  '    import os',
  '',
  '    path = os.path.join(run_dir, name)',
  '    if os.path.exists(path) and _expkit_fresh_start():',
  '        _expkit_set_aside(path)',
  '    return path',
]);

/**
 * A framework checkpoint (Lightning's last.ckpt) in a run folder: the file to resume from, or None to
 * start fresh (setting an old one aside on a fresh start).
 */
export const RESUME_FILE = pyFunction('resume_file', [
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
]);

/** The run-identity block instrument inserts for per-run checkpoints, in its order. */
export const RUN_IDENTITY = [NOT_CONFIG, FRESH_START, RUN_DIR, CHECKPOINT_FILE, SET_ASIDE];
