/** `expkit doctor`: turning gathered facts into checks, each problem with its fix. Pure. */
import { freeGpus, type GpuInfo } from '../launch/gpus.js';

export type Level = 'ok' | 'warn' | 'error';

export interface Check {
  name: string;
  level: Level;
  detail: string;
  fix?: string;
}

export interface PythonFacts {
  /** What was asked for (--python, or python3). */
  requested?: string;
  path: string | null;
  version: string | null;
  torch: string | null;
  cuda: boolean;
  cudaDevices: number;
  wandb: string | null;
}

export interface DoctorFacts {
  python: PythonFacts;
  wandbAuth: 'env' | 'netrc' | null;
  wandbMode: string | null;
  tmux: boolean;
  screen: boolean;
  sbatch: boolean;
  slurmController: boolean | null;
  gpus: GpuInfo[] | null;
  diskFreeBytes: number | null;
  runsDir: string;
}

const GiB = 1024 ** 3;

export function doctorChecks(f: DoctorFacts): Check[] {
  const c: Check[] = [];
  const p = f.python;
  if (!p.path) c.push({ name: 'python', level: 'error', detail: `Python interpreter ${p.requested ?? 'python3'} not found`, fix: 'install Python 3 or pass --python PATH' });
  else if (!p.version) c.push({ name: 'python', level: 'error', detail: `${p.path} did not run`, fix: 'check the interpreter, or pass another with --python PATH' });
  else c.push({ name: 'python', level: 'ok', detail: `${p.path} (Python ${p.version})` });
  if (p.version) {
    if (!p.torch) c.push({ name: 'torch', level: 'warn', detail: `torch does not import with ${p.path}`, fix: `install it for this interpreter (${p.path} -m pip install torch), or point --python at the one that has it` });
    else c.push({ name: 'torch', level: 'ok', detail: `torch ${p.torch}, CUDA ${p.cuda ? `available (${p.cudaDevices} device${p.cudaDevices === 1 ? '' : 's'})` : 'not available: runs on CPU'}` });
    if (!p.wandb) c.push({ name: 'wandb', level: 'warn', detail: 'wandb is not importable', fix: `${p.path} -m pip install wandb (only needed for tracking with Weights & Biases)` });
  }
  if (f.wandbMode === 'offline' || f.wandbMode === 'disabled') c.push({ name: 'wandb login', level: 'ok', detail: `WANDB_MODE=${f.wandbMode}: runs log locally (upload later with wandb sync)` });
  else if (f.wandbAuth) c.push({ name: 'wandb login', level: 'ok', detail: f.wandbAuth === 'env' ? 'logged in (WANDB_API_KEY is set)' : 'logged in (api.wandb.ai in ~/.netrc)' });
  else c.push({ name: 'wandb login', level: 'warn', detail: 'not logged in to wandb and not offline', fix: 'run wandb login, or export WANDB_MODE=offline' });
  const backends = [f.tmux && 'tmux', f.screen && 'screen', f.sbatch && 'slurm', 'process'].filter(Boolean).join(', ');
  c.push({ name: 'backends', level: 'ok', detail: `available: ${backends}; --backend auto picks ${f.tmux ? 'tmux' : f.screen ? 'screen' : 'process'}` });
  if (!f.tmux && !f.screen) c.push({ name: 'tmux', level: 'warn', detail: 'neither tmux nor screen: runs start as background processes you cannot attach to', fix: 'apt-get install tmux' });
  if (f.sbatch && f.slurmController === false) c.push({ name: 'slurm', level: 'warn', detail: 'sbatch is installed but the controller does not answer (scontrol ping)', fix: 'check slurmctld and slurm.conf (SLURM_CONF), or use a local backend' });
  if (f.gpus === null) c.push({ name: 'gpus', level: 'warn', detail: 'nvidia-smi not found: runs use the CPU', fix: 'install the NVIDIA driver, or ignore this on a CPU machine' });
  else if (f.gpus.length === 0) c.push({ name: 'gpus', level: 'warn', detail: 'nvidia-smi lists no GPU', fix: 'check the driver (nvidia-smi)' });
  else {
    const free = freeGpus(f.gpus).map((g) => g.index);
    const load = f.gpus.map((g) => `${g.index}: ${g.name}, ${g.memoryUsed ?? '?'}/${g.memoryTotal ?? '?'} MiB, ${g.utilization ?? '?'}%`).join('; ');
    c.push({ name: 'gpus', level: free.length ? 'ok' : 'warn', detail: `${f.gpus.length} GPU(s), free: ${free.length ? free.join(',') : 'none'} (${load})`, ...(free.length ? {} : { fix: 'wait for the other jobs, or pick GPUs with --gpus 0,1' }) });
  }
  if (f.diskFreeBytes === null) c.push({ name: 'disk', level: 'warn', detail: `cannot read free space at ${f.runsDir}` });
  else {
    const gb = f.diskFreeBytes / GiB;
    const detail = `${gb.toFixed(1)} GiB free where runs are written (${f.runsDir})`;
    c.push(gb < 1 ? { name: 'disk', level: 'error', detail, fix: 'free disk space or set EXPKIT_HOME to a bigger disk' } : gb < 10 ? { name: 'disk', level: 'warn', detail, fix: 'checkpoints may not fit: free space or set EXPKIT_HOME elsewhere' } : { name: 'disk', level: 'ok', detail });
  }
  return c;
}
