/** What the local backends (process, tmux, screen) share: the wrapper's PID file decides liveness. */
import type { Probe } from '../launch/state.js';
import { readRunFiles } from '../launch/run-files.js';
import { isAliveRunning, signalTree } from './proc.js';
import { RUN_FILES } from '../launch/paths.js';

/** Alive when the wrapper recorded its PID and still runs; before that, ask the backend. */
export async function localProbe(dir: string, beforePidFile: () => Promise<boolean>): Promise<Probe> {
  const { pid } = readRunFiles(dir);
  if (pid !== null) return isAliveRunning(pid, RUN_FILES.wrapper) ? { kind: 'alive' } : { kind: 'gone' };
  return (await beforePidFile()) ? { kind: 'alive' } : { kind: 'gone' };
}

/**
 * Signal the wrapper's process group (the command and everything it started). `knownPid` is the
 * wrapper's PID as the backend reported it at start, for a wrapper too young to have written its file.
 */
export function signalWrapper(dir: string, signal: NodeJS.Signals, knownPid?: number): boolean {
  const pid = readRunFiles(dir).pid ?? knownPid ?? null;
  if (pid === null || !isAliveRunning(pid, RUN_FILES.wrapper)) return false;
  signalTree(pid, signal);
  return true;
}
