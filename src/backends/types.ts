/** What every launch backend provides. */
import type { BackendHandle, BackendName, Manifest } from '../launch/manifest.js';
import type { Probe } from '../launch/state.js';

/** One run to start: its folder holds `wrapper.sh`. */
export interface StartRequest {
  name: string;
  dir: string;
  wrapperPath: string;
  cwd: string;
  seed: number | null;
  /** The run's marker (EXPKIT_RUN_ID). */
  runId?: string;
}

export interface SlurmResources {
  partition?: string;
  gres?: string;
  cpusPerTask?: number;
  mem?: string;
  time?: string;
}

export interface StartOptions {
  /** The run that must succeed first (already launched on the same backend). */
  after?: Manifest | null;
  slurm?: SlurmResources;
}

export interface Backend {
  name: BackendName;
  /**
   * The scheduler may run a job again after an attempt ended (SLURM requeue, preemption): a failed
   * attempt is the run's outcome only once the scheduler no longer holds the job.
   */
  restartsRuns: boolean;
  /** Null when usable, else why not (with a fix). */
  unavailable(): Promise<string | null>;
  start(runs: StartRequest[], options: StartOptions): Promise<BackendHandle[]>;
  probe(manifest: Manifest, dir: string): Promise<Probe>;
  /** Ask the backend to end the run (the caller handles grace periods and bookkeeping). */
  terminate(manifest: Manifest, dir: string, signal: NodeJS.Signals): Promise<void>;
  /** argv that attaches a terminal to the run, or null when the backend has no terminal. */
  attachArgv(manifest: Manifest): string[] | null;
  /** Why attaching cannot work now (dead tmux server, vanished screen session), or null. */
  attachProblem?(manifest: Manifest): Promise<string | null>;
}
