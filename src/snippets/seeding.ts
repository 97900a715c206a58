import { indentBlock } from './indent.js';

/** Imports the seeding snippets need, one statement each. */
export const SEEDING_IMPORTS = ['import os', 'import random', 'import numpy as np', 'import torch'];

/**
 * `seed_everything(seed, deterministic=False)`: seeds Python, NumPy and torch (CPU and every CUDA
 * device) and sets PYTHONHASHSEED (inherited by DataLoader workers and subprocesses). With
 * `deterministic`, cuDNN is pinned to deterministic kernels (benchmark off), cuBLAS gets the
 * workspace setting it needs, and `torch.use_deterministic_algorithms(True)` makes any
 * non-deterministic op raise instead of silently varying.
 */
export function seedingSnippet(indent: string | number = ''): string {
  return indentBlock(
    `def seed_everything(seed, deterministic=False):
    """Seed python, numpy and torch (CPU and CUDA); optionally force deterministic kernels."""
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    if deterministic:
        # cuBLAS needs a fixed workspace for deterministic matmuls (CUDA >= 10.2).
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        torch.use_deterministic_algorithms(True)
`,
    indent,
  );
}

/**
 * `capture_rng_state()` / `restore_rng_state(state)`: the Python, NumPy, torch CPU and CUDA
 * generator states, so a resumed run draws the same random numbers as an uninterrupted one.
 */
export function rngStateSnippet(indent: string | number = ''): string {
  return indentBlock(
    `def capture_rng_state():
    """Return the python, numpy, torch and CUDA random generator states."""
    state = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state):
    """Restore the generator states saved by capture_rng_state()."""
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
`,
    indent,
  );
}
