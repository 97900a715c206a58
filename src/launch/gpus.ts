/**
 * GPU choice from `nvidia-smi --query-gpu=index,name,memory.used,memory.total,utilization.gpu
 * --format=csv,noheader,nounits`. Pure: the command module runs nvidia-smi.
 */
import { ExitCode, ExpkitError } from '../core/errors.js';

export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,memory.used,memory.total,utilization.gpu', '--format=csv,noheader,nounits'];

export interface GpuInfo {
  index: number;
  name: string;
  /** MiB; null when nvidia-smi reports `[N/A]`. */
  memoryUsed: number | null;
  memoryTotal: number | null;
  /** Percent; null when not reported. */
  utilization: number | null;
}

function num(field: string | undefined): number | null {
  if (field === undefined) return null;
  const t = field.trim();
  if (t === '' || /^\[?N\/A\]?$/i.test(t) || /not supported/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Parse nvidia-smi's CSV; blank and unparseable lines are skipped. */
export function parseNvidiaSmi(csv: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of csv.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = line.split(',').map((s) => s.trim());
    const index = num(f[0]);
    if (index === null || f.length < 5) continue;
    gpus.push({ index, name: f[1], memoryUsed: num(f[2]), memoryTotal: num(f[3]), utilization: num(f[4]) });
  }
  return gpus;
}

/** A GPU is busy when another process holds memory (over 5% or 1 GiB) or computes on it (over 10%). */
export function isBusy(gpu: GpuInfo): boolean {
  if (gpu.utilization !== null && gpu.utilization > 10) return true;
  if (gpu.memoryUsed !== null) {
    const limit = gpu.memoryTotal !== null ? Math.min(1024, gpu.memoryTotal * 0.05) : 1024;
    if (gpu.memoryUsed > limit) return true;
  }
  return false;
}

export function freeGpus(gpus: readonly GpuInfo[]): GpuInfo[] {
  return gpus.filter((g) => !isBusy(g));
}

/** What `--gpus` resolved to for one run. */
export interface GpuChoice {
  /** The value of CUDA_VISIBLE_DEVICES, or null to leave it unset (`auto` without nvidia-smi). */
  visibleDevices: string | null;
  gpus: number[];
  note: string;
}

/** Parse an explicit `--gpus` list like `0,1`. */
export function parseGpuList(value: string): number[] {
  if (!/^\d+(,\d+)*$/.test(value)) {
    throw new ExpkitError(`invalid --gpus ${JSON.stringify(value)}: use auto, none, or indices like 0,1`, { exitCode: ExitCode.Usage });
  }
  return value.split(',').map(Number);
}

/**
 * Resolve `--gpus` for `runs` runs needing `perRun` GPUs each. `smi` is nvidia-smi's output, or
 * null when nvidia-smi is not installed. Free GPUs are handed out in turn, so a seed sweep spreads.
 */
export function chooseGpus(spec: string, smi: string | null, runs = 1, perRun = 1): GpuChoice[] {
  const same = (c: GpuChoice) => Array.from({ length: runs }, () => c);
  if (spec === 'none') return same({ visibleDevices: '', gpus: [], note: 'GPUs hidden (--gpus none): runs on CPU' });
  if (spec !== 'auto') {
    const list = parseGpuList(spec);
    return same({ visibleDevices: list.join(','), gpus: list, note: `GPUs ${list.join(',')} (as asked)` });
  }
  if (smi === null) return same({ visibleDevices: null, gpus: [], note: 'nvidia-smi not found: runs on CPU' });
  const all = parseNvidiaSmi(smi);
  if (all.length === 0) return same({ visibleDevices: null, gpus: [], note: 'nvidia-smi lists no GPU: runs on CPU' });
  const free = freeGpus(all);
  if (free.length < perRun) {
    throw new ExpkitError(`no free GPU: all ${all.length} are busy (${all.map((g) => `${g.index}: ${g.memoryUsed ?? '?'} MiB, ${g.utilization ?? '?'}%`).join('; ')})`, {
      exitCode: ExitCode.Unavailable,
      hint: 'pick GPUs with --gpus 0,1 or run on CPU with --gpus none',
    });
  }
  const out: GpuChoice[] = [];
  for (let r = 0; r < runs; r++) {
    const picked: number[] = [];
    for (let k = 0; k < perRun; k++) picked.push(free[(r * perRun + k) % free.length].index);
    const shared = runs * perRun > free.length ? ` (${free.length} free GPUs shared by ${runs} runs)` : '';
    out.push({ visibleDevices: picked.join(','), gpus: picked, note: `free GPU${picked.length > 1 ? 's' : ''} ${picked.join(',')} of ${all.length}${shared}` });
  }
  return out;
}
