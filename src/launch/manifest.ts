/** The run record, `manifest.json` in the run folder. */
import type { ProcessIdentity } from './identity.js';

export type BackendName = 'process' | 'tmux' | 'screen' | 'slurm';
export const BACKENDS: readonly BackendName[] = ['process', 'tmux', 'screen', 'slurm'];

/**
 * `starting`: the run folder exists, the backend has not (yet) been asked to start it. `corrupt`:
 * its manifest.json cannot be read (a view state only; expkit never writes it).
 */
export type RunState = 'starting' | 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped' | 'lost' | 'not_started' | 'corrupt';
export const TERMINAL_STATES: readonly RunState[] = ['succeeded', 'failed', 'stopped', 'lost', 'not_started', 'corrupt'];

export interface BackendHandle {
  /** process: the wrapper's PID, which leads its own process group. */
  pid?: number;
  pgid?: number;
  /** process: the wrapper's start time (field 22 of /proc/PID/stat) and boot id, against PID reuse. */
  startTime?: string | null;
  bootId?: string | null;
  /** tmux */
  socket?: string | null;
  session?: string;
  windowId?: string;
  /** screen */
  screenSession?: string;
  /** slurm: the job id; for an array task `ARRAYID_TASK`. */
  jobId?: string;
  arrayJobId?: string;
  arrayTaskId?: number;
}

export interface GitInfo {
  commit: string | null;
  branch: string | null;
  dirty: boolean;
  diffFile: string | null;
  untracked: string[];
}

export interface Manifest {
  schemaVersion: 1;
  name: string;
  /** The run's marker: its processes carry EXPKIT_RUN_ID=runId (absent in records from before 0.2). */
  runId?: string;
  /** The `expkit launch` process, recorded while the run is `starting`. */
  launcher?: ProcessIdentity;
  slug: string | null;
  specPath: string | null;
  backend: BackendName;
  handle: BackendHandle;
  command: string[];
  cwd: string;
  createdAt: string;
  /** Filled from the wrapper's files when known (the wrapper writes started_at/ended_at/exit_code). */
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
  /** `starting` until the backend has the run; the final state once it has ended; absent while it runs. */
  state?: RunState;
  /** `--stop-on`: the wrapper stops the run by itself at this (absent: never). */
  stopOn?: 'nan' | null;
  /** Why the run was stopped, once it was (the reason `status` shows). */
  stopReason?: string;
  seed: number | null;
  seeds: number[];
  /** A sweep run's parameters (also passed as flags and $EXPKIT_PARAMS) and its sweep. */
  params?: Record<string, string | number>;
  sweep?: string;
  after: string | null;
  python: { path: string | null; version: string | null };
  cudaVisibleDevices: string | null;
  gpus: number[];
  wandb: Record<string, string>;
  env: Record<string, string>;
  git: GitInfo;
  host: string;
  logPath: string;
}
