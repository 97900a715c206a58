/**
 * Seeding: `seed_everything(seed, deterministic=False)` seeds Python, NumPy and torch (CPU and every
 * CUDA device) and sets PYTHONHASHSEED (inherited by DataLoader workers and subprocesses). With
 * `deterministic`, cuDNN is pinned to deterministic kernels, cuBLAS gets the workspace setting it
 * needs (CUDA >= 10.2) and torch warns about any op without a deterministic implementation (it does
 * not raise: an instrumented run must not crash on an op the user cannot change).
 */
import { pyFunction, type PyDefinition } from './definition.js';

/** Seeding statements every variant shares, one per generator. */
const SEED_HASH = '    os.environ["PYTHONHASHSEED"] = str(seed)';
const SEED_PYTHON = '    random.seed(seed)';
const SEED_NUMPY = '    numpy.random.seed(seed)';

/** For torch scripts; WITH_NUMPY when the script uses NumPy (its generator is seeded too). */
export function seedEverything(withNumpy: boolean): PyDefinition {
  return pyFunction('seed_everything', [
    'def _expkit_seed_everything(seed, deterministic=False):',
    '    """Seed Python, NumPy and PyTorch so runs repeat (added by expkit)."""',
    '    import os',
    '    import random',
    ...(withNumpy ? ['    import numpy'] : []),
    '    import torch',
    '',
    SEED_HASH,
    SEED_PYTHON,
    ...(withNumpy ? [SEED_NUMPY] : []),
    '    torch.manual_seed(seed)',
    '    torch.cuda.manual_seed_all(seed)',
    '    if deterministic:',
    '        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")',
    '        torch.backends.cudnn.deterministic = True',
    '        torch.backends.cudnn.benchmark = False',
    '        torch.use_deterministic_algorithms(True, warn_only=True)',
  ]);
}

/** For JAX scripts: Python and NumPy (JAX's own keys are explicit `PRNGKey(seed)` values). */
export const JAX_SEED_EVERYTHING = pyFunction('seed_everything', [
  'def _expkit_seed_everything(seed, deterministic=False):',
  '    """Seed Python and NumPy so runs repeat; JAX keys come from PRNGKey(seed) (added by expkit)."""',
  '    import os',
  '    import random',
  '',
  '    import numpy',
  '',
  SEED_HASH,
  SEED_PYTHON,
  SEED_NUMPY,
]);
