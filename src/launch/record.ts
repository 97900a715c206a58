/** Building one run's environment and its initial manifest. Pure. */
import { join } from 'node:path';
import type { GpuChoice } from './gpus.js';
import type { BackendName, GitInfo, Manifest } from './manifest.js';
import { RUN_FILES } from './paths.js';

/** What the wrapper exports for a run: GPUs and the seed (null values are unset). */
export function runEnv(backend: BackendName, gpusFlag: string, choice: GpuChoice | null, seed: number | null, bySlug: boolean): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  if (choice && choice.visibleDevices !== null) env.CUDA_VISIBLE_DEVICES = choice.visibleDevices;
  // On SLURM the scheduler assigns GPUs; only an explicit choice is passed on.
  if (backend === 'slurm' && gpusFlag === 'none') env.CUDA_VISIBLE_DEVICES = '';
  if (backend === 'slurm' && /^\d/.test(gpusFlag)) env.CUDA_VISIBLE_DEVICES = gpusFlag;
  if (seed !== null) {
    env.SEED = String(seed);
    // The scaffold's run.sh takes its seeds from SEEDS.
    if (bySlug) env.SEEDS = String(seed);
  }
  return env;
}

export interface ManifestInput {
  name: string;
  dir: string;
  slug: string | null;
  specPath: string | null;
  backend: BackendName;
  command: string[];
  cwd: string;
  createdAt: Date;
  seed: number | null;
  seeds: number[];
  after: string | null;
  python: Manifest['python'];
  env: Record<string, string | null>;
  gpus: number[] | null;
  wandb: Record<string, string>;
  git: GitInfo;
  host: string;
}

export function newManifest(i: ManifestInput): Manifest {
  const cvd = i.env.CUDA_VISIBLE_DEVICES ?? null;
  return {
    schemaVersion: 1,
    name: i.name,
    slug: i.slug,
    specPath: i.specPath,
    backend: i.backend,
    handle: {},
    command: i.command,
    cwd: i.cwd,
    createdAt: i.createdAt.toISOString(),
    startedAt: null,
    endedAt: null,
    exitCode: null,
    seed: i.seed,
    seeds: i.seeds,
    after: i.after,
    python: i.python,
    cudaVisibleDevices: cvd,
    gpus: i.gpus ?? (cvd ? cvd.split(',').filter(Boolean).map(Number) : []),
    wandb: i.wandb,
    env: Object.fromEntries(Object.entries({ PYTHONUNBUFFERED: '1', EXPKIT_RUN_DIR: i.dir, ...i.env }).filter((e): e is [string, string] => e[1] !== null)),
    git: i.git,
    host: i.host,
    logPath: join(i.dir, RUN_FILES.log),
  };
}
