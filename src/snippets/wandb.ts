import { indentBlock } from './indent.js';

/** Imports the wandb snippet needs. wandb itself is imported inside the function. */
export const WANDB_IMPORTS = ['import os'];

/** Imports the stored-run-id snippet needs. */
export const WANDB_RUN_ID_IMPORTS = ['import os', 'import uuid'];

/**
 * `init_wandb(enabled, project, config, run_id=None, name=None, offline=False)`: starts a wandb
 * run on rank 0 only (RANK / LOCAL_RANK environment, as torchrun sets them) and returns it, or
 * None when disabled or on another rank. wandb is imported only when enabled, so scripts run
 * without it installed. Offline mode (`offline=True` or `WANDB_MODE=offline`) is honoured; a
 * stored `run_id` (e.g. from the checkpoint) resumes that same run (`id=…, resume="allow"`).
 * Also defines `is_rank_zero()`.
 */
export function wandbInitSnippet(indent: string | number = ''): string {
  return indentBlock(
    `def is_rank_zero():
    """True on the main process (RANK / LOCAL_RANK unset or 0)."""
    return int(os.environ.get("RANK", os.environ.get("LOCAL_RANK", "0"))) == 0


def init_wandb(enabled, project, config, run_id=None, name=None, offline=False):
    """Start (or resume, with run_id) a wandb run on rank 0; None when off or elsewhere."""
    if not enabled or not is_rank_zero():
        return None
    try:
        import wandb
    except ImportError:
        raise SystemExit("--wandb needs the wandb package: pip install wandb") from None

    mode = "offline" if offline else os.environ.get("WANDB_MODE", "online")
    return wandb.init(
        project=project,
        name=name,
        config=config,
        id=run_id,
        resume="allow",
        mode=mode,
    )
`,
    indent,
  );
}

/**
 * `stored_wandb_run_id(directory, resume)`: the wandb run id kept in `DIRECTORY/wandb_run_id`
 * (next to the checkpoints). With `resume` an existing id is reused, so a restarted or requeued
 * job continues the same wandb run instead of starting a new one; otherwise a new id is stored.
 * For frameworks whose own checkpoints cannot carry the id (Lightning, HF Trainer).
 */
export function wandbRunIdSnippet(indent: string | number = ''): string {
  return indentBlock(
    `def stored_wandb_run_id(directory, resume):
    """The wandb run id stored in DIRECTORY (reused with resume), or a new stored one."""
    path = os.path.join(directory, "wandb_run_id")
    if resume and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    os.makedirs(directory, exist_ok=True)
    run_id = uuid.uuid4().hex[:12]
    with open(path, "w", encoding="utf-8") as f:
        f.write(run_id + "\\n")
    return run_id
`,
    indent,
  );
}
