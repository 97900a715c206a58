/** What the local backends (process, tmux, screen) share: the wrapper's PID file decides liveness. */
import type { Probe } from '../launch/state.js';
import type { Manifest } from '../launch/manifest.js';
import type { Verdict } from '../launch/identity.js';
import { readRunFiles } from '../launch/run-files.js';
import { isAliveRunning, judgePid, signalTree } from './proc.js';
import { RUN_FILES } from '../launch/paths.js';

/**
 * Whether PID is still the run's wrapper. Proofs: the run's marker in the process's environment
 * and its start time (from `pid_start`, or the handle for the PID the backend reported). Records
 * from before the marker fall back to the command line.
 */
export function wrapperVerdict(dir: string, manifest: Manifest, pid: number): Verdict {
  const files = readRunFiles(dir);
  const fromFile = files.pid === pid ? files.pidStart : null;
  const fromHandle = manifest.handle.pid === pid ? { startTime: manifest.handle.startTime ?? null, bootId: manifest.handle.bootId ?? null } : null;
  const start = fromFile ?? fromHandle ?? { startTime: null, bootId: null };
  if (!manifest.runId && start.startTime === null) {
    return isAliveRunning(pid, RUN_FILES.wrapper) ? { kind: 'ours' } : { kind: 'gone' };
  }
  return judgePid(pid, { runId: manifest.runId ?? null, ...start });
}

/** Alive when the wrapper recorded its PID and still runs as the run's own; before that, ask the backend. */
export async function localProbe(dir: string, manifest: Manifest, beforePidFile: () => Promise<boolean>): Promise<Probe> {
  const { pid } = readRunFiles(dir);
  if (pid !== null) return wrapperVerdict(dir, manifest, pid).kind === 'ours' ? { kind: 'alive' } : { kind: 'gone' };
  return (await beforePidFile()) ? { kind: 'alive' } : { kind: 'gone' };
}

/**
 * Signal the wrapper's process group (the command and everything it started), only when the
 * process is provably the run's. `knownPid` is the wrapper's PID as the backend reported it at
 * start, for a wrapper too young to have written its file.
 */
export function signalWrapper(dir: string, manifest: Manifest, signal: NodeJS.Signals, knownPid?: number): boolean {
  const pid = readRunFiles(dir).pid ?? knownPid ?? null;
  if (pid === null || wrapperVerdict(dir, manifest, pid).kind !== 'ours') return false;
  signalTree(pid, signal);
  return true;
}
