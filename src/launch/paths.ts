import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { assertValidName } from '../core/names.js';

/** The project root: nearest ancestor with `.git` or `experiments/`, else the starting directory. */
export function projectRoot(start = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'experiments'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

/** Where expkit keeps its state: `$EXPKIT_HOME`, else `<project>/.expkit`. */
export function expkitHome(root = projectRoot()): string {
  return process.env.EXPKIT_HOME ? resolve(process.env.EXPKIT_HOME) : join(root, '.expkit');
}

/** The run registry: one folder per run, `<home>/runs/NAME/`. */
export function runsDir(root = projectRoot()): string {
  return join(expkitHome(root), 'runs');
}

export function runDir(name: string, root = projectRoot()): string {
  return join(runsDir(root), assertValidName('run name', name));
}

/** Files inside a run folder. */
export const RUN_FILES = {
  manifest: 'manifest.json',
  log: 'output.log',
  wrapper: 'wrapper.sh',
  pid: 'pid',
  /** The wrapper's start time (field 22 of /proc/PID/stat) and boot id, written before `pid`. */
  pidStart: 'pid_start',
  /** The launcher's environment for the wrapper to source (mode 0600; the wrapper removes it). */
  envFile: 'launch.env',
  /** Written when the launch died before the run started: the wrapper must not start it any more. */
  abandoned: 'abandoned',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  exitCode: 'exit_code',
  stopRequested: 'stop_requested',
  /** The log line that made `--stop-on` stop the run. */
  stoppedOn: 'stopped_on',
  notStarted: 'not_started',
  gitDiff: 'git.diff',
  untracked: 'untracked.txt',
} as const;
