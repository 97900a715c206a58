/**
 * wandb helpers: the run id that lets a resumed run continue the same wandb run, starting a run on
 * rank 0 only, finishing it however the script ends, and the tracker settings and Keras logging
 * that bring wandb into a framework's own loop.
 */
import { pyFunction } from './definition.js';

/** A wandb run id kept in the run's folder, so a resumed run (a requeued job) continues the same wandb run. */
export const WANDB_RUN_ID = pyFunction('wandb_run_id', [
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
]);

export const IS_RANK_ZERO = pyFunction('is_rank_zero', [
  'def _expkit_is_rank_zero():',
  '    """True on the main process: RANK / LOCAL_RANK (as torchrun sets them) unset or 0 (added by expkit)."""',
  '    import os',
  '',
  '    return int(os.environ.get("RANK", os.environ.get("LOCAL_RANK", "0"))) == 0',
]);

/**
 * Starts a wandb run on rank 0 only and returns it, or None when disabled or on another rank. wandb
 * is imported only when enabled, so a script runs without it installed. Offline mode (`offline` or
 * WANDB_MODE=offline) is honoured; a stored `run_id` continues that run (`resume="allow"`).
 */
export const INIT_WANDB = pyFunction('init_wandb', [
  'def _expkit_init_wandb(enabled, project, config, run_id=None, name=None, offline=False):',
  '    """Start (or continue, with run_id) a wandb run on rank 0; None when off or elsewhere (added by expkit)."""',
  '    import os',
  '',
  '    if not enabled or not _expkit_is_rank_zero():',
  '        return None',
  '    try:',
  '        import wandb',
  '    except ImportError:',
  '        raise SystemExit("--wandb needs the wandb package: pip install wandb") from None',
  '',
  '    mode = "offline" if offline else os.environ.get("WANDB_MODE", "online")',
  '    return wandb.init(project=project, name=name, config=config, id=run_id, resume="allow", mode=mode)',
]);

/**
 * Finishing the wandb run when the script ends, for runs no try/finally can enclose: a
 * module-level script (its last `wandb.log` may follow the loop, inside or after a
 * `try: … except KeyboardInterrupt:`) and a process started by `mp.spawn`.
 *
 * Registered once, right after `wandb.init`, so it runs after the script's last logging
 * statement whatever that is. `atexit` covers the normal end, `sys.exit` and uncaught exceptions
 * (Ctrl-C included, whether or not the script catches it); SIGTERM, which ends Python without
 * running atexit, is turned into SystemExit unless the script installed its own handler.
 * Real wandb takes the exit code from its own exit hooks, so a crashed run is still marked failed.
 */
export const FINISH_AT_EXIT = '_expkit_finish_wandb_at_exit';

export const FINISH_WANDB_AT_EXIT = pyFunction('finish_wandb_at_exit', [
  `def ${FINISH_AT_EXIT}():`,
  '    """Finish the wandb run however the script ends: normally, on an exception, Ctrl-C or SIGTERM (added by expkit)."""',
  '    import atexit',
  '    import signal',
  '    import sys',
  '',
  '    def finish():',
  '        import wandb',
  '',
  '        if wandb.run is not None:',
  '            wandb.finish()',
  '',
  '    atexit.register(finish)',
  '    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:',
  '        try:',
  '            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))',
  '        except ValueError:  # not the main thread, where only the main thread may handle signals',
  '            pass',
  
]);

/** A tracker setting (`report_to=`, `log_with=`) known only at run time, with wandb added. */
export const WITH_WANDB = pyFunction('with_wandb', [
  'def _expkit_with_wandb(trackers):',
  '    """The tracker setting with wandb added: None, "none", a name or a list (added by expkit)."""',
  '    if trackers is None or trackers in ("none", "all", ""):',
  '        return "wandb"',
  '    if isinstance(trackers, str):',
  '        return trackers if trackers == "wandb" else [trackers, "wandb"]',
  '    return list(trackers) if "wandb" in trackers else [*trackers, "wandb"]',
]);

/**
 * A Keras callback that logs epoch metrics to wandb on every Keras backend. wandb's own Keras
 * callbacks (`wandb.integration.keras`) import TensorFlow, so a Keras 3 script on the torch or JAX
 * backend would crash at import.
 */
export const KERAS_WANDB_LOGGER = pyFunction('wandb_metrics_logger', [
  'def _expkit_wandb_metrics_logger(keras):',
  '    """Log Keras epoch metrics to wandb as epoch/<name>, on any Keras backend (added by expkit)."""',
  '    import wandb',
  '',
  '    def log(epoch, logs):',
  '        wandb.log({**{f"epoch/{name}": float(value) for name, value in (logs or {}).items()}, "epoch/epoch": epoch})',
  '',
  '    return keras.callbacks.LambdaCallback(on_epoch_end=log)',
]);

/**
 * Under `expkit launch` (EXPKIT_RUN_DIR set), every wandb log call, whoever makes it (the script's
 * `wandb.log`, a framework's logger through `run.log`), is also appended to the run folder's
 * metrics.jsonl, so expkit reads the metrics with no W&B account or network. Patched on the Run
 * class at import time, before `wandb.init` binds `wandb.log` to the run. A failure to write the
 * local copy never stops training.
 */
export const KEEP_WANDB_METRICS_NAME = '_expkit_keep_wandb_metrics';

export const KEEP_WANDB_METRICS = pyFunction('keep_wandb_metrics', [
  `def ${KEEP_WANDB_METRICS_NAME}():`,
  '    """Under expkit launch, also append each wandb log call to $EXPKIT_RUN_DIR/metrics.jsonl (added by expkit)."""',
  '    import os',
  '',
  '    run_dir = os.environ.get("EXPKIT_RUN_DIR")',
  '    if not run_dir:',
  '        return',
  '    try:',
  '        from wandb.sdk.wandb_run import Run',
  '    except ImportError:  # wandb not installed, or a stand-in without its SDK',
  '        return',
  '    original = Run.log',
  '    if getattr(original, "_expkit_local", False):',
  '        return',
  '',
  '    def log(self, data, *args, **kwargs):',
  '        import json',
  '        import math',
  '        import time',
  '',
  '        step = args[0] if args else kwargs.get("step")',
  '        if step is None:',
  '            step = getattr(self, "step", None)  # the step this call is logged at, before wandb advances it',
  '        result = original(self, data, *args, **kwargs)',
  '        try:',
  '            values = {}',
  '            for key, value in dict(data).items():',
  '                if isinstance(value, (str, bytes)):',
  '                    continue',
  '                try:',
  '                    number = float(value)  # numbers, numpy scalars, one-element tensors',
  '                except (TypeError, ValueError, RuntimeError):',
  '                    continue',
  '                values[str(key)] = number if math.isfinite(number) else None',
  '            with open(os.path.join(run_dir, "metrics.jsonl"), "a", encoding="utf-8") as f:',
  '                f.write(json.dumps({"step": step, "time": time.time(), **values}) + "\\n")',
  '        except Exception:  # the local copy must never stop training',
  '            pass',
  '        return result',
  '',
  '    log._expkit_local = True',
  '    Run.log = log',
]);
