import { indentBlock } from './indent.js';

/** Imports the checkpoint snippet needs (it also calls the RNG-state snippet's functions). */
export const CHECKPOINT_IMPORTS = ['import os', 'import torch'];

/**
 * Atomic checkpoints, one file per epoch: `save_checkpoint(directory, epoch, model, optimizer,
 * scheduler=None, step=0, wandb_run_id=None, extra=None)` writes `DIRECTORY/epoch_NNNN.pt` through a
 * temporary file and `os.replace`, so a crash never leaves a truncated checkpoint.
 * `load_latest_checkpoint(directory, model, optimizer, scheduler=None)` restores model, optimizer,
 * scheduler and RNG states from the highest epoch there and returns the saved dict (with
 * `epoch`, `step`, `wandb_run_id`, `extra`, `path`), or None when there is none.
 * Requires `capture_rng_state` / `restore_rng_state` (see rngStateSnippet).
 */
export function checkpointSnippet(indent: string | number = ''): string {
  return indentBlock(
    `def save_checkpoint(
    directory,
    epoch,
    model,
    optimizer,
    scheduler=None,
    step=0,
    wandb_run_id=None,
    extra=None,
):
    """Atomically write DIRECTORY/epoch_NNNN.pt (temp file + os.replace); return its path."""
    os.makedirs(directory, exist_ok=True)
    state = {
        "epoch": epoch,
        "step": step,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "rng": capture_rng_state(),
        "wandb_run_id": wandb_run_id,
        "extra": extra or {},
    }
    path = os.path.join(directory, f"epoch_{epoch:04d}.pt")
    tmp = f"{path}.tmp{os.getpid()}"
    torch.save(state, tmp)
    os.replace(tmp, path)
    return path


def latest_checkpoint(directory):
    """Path of the checkpoint with the highest epoch in DIRECTORY, or None."""
    if not os.path.isdir(directory):
        return None
    epochs = []
    for name in os.listdir(directory):
        stem = name[len("epoch_") : -len(".pt")]
        if name.startswith("epoch_") and name.endswith(".pt") and stem.isdigit():
            epochs.append((int(stem), name))
    if not epochs:
        return None
    return os.path.join(directory, max(epochs)[1])


def load_latest_checkpoint(directory, model, optimizer, scheduler=None):
    """Restore model, optimizer, scheduler and RNG states; return the checkpoint or None."""
    path = latest_checkpoint(directory)
    if path is None:
        return None
    state = torch.load(path, map_location="cpu", weights_only=False)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None and state.get("scheduler") is not None:
        scheduler.load_state_dict(state["scheduler"])
    restore_rng_state(state["rng"])
    state["path"] = path
    return state
`,
    indent,
  );
}
