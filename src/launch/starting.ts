/**
 * A run whose launch has not finished (manifest `state: starting`): the folder is written before
 * the backend starts the command, so a launch killed at any moment leaves a run that `list`
 * shows. While its launcher lives it is `starting`; once the launcher is gone without the wrapper
 * having started, the run is abandoned: it ends `not_started`, and a wrapper still on its way
 * sees the `abandoned` file and does not run the command.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { judgePid } from '../backends/proc.js';
import type { Manifest } from './manifest.js';
import { RUN_FILES } from './paths.js';
import { readRunFiles } from './run-files.js';

export const ABANDONED_REASON = 'not started: expkit launch was interrupted before the run started';

/** The `expkit launch` that wrote this starting record still runs. */
export function launcherAlive(m: Manifest): boolean {
  const l = m.launcher;
  return l !== undefined && judgePid(l.pid, { runId: null, startTime: l.startTime, bootId: l.bootId }).kind === 'ours';
}

/**
 * `starting` (with its reason) while the launch is in progress; null when the run is to be judged
 * from its files as usual (the wrapper has started, or the run was just abandoned).
 */
export function startingState(dir: string, m: Manifest): { state: 'starting'; reason: string } | null {
  if (m.state !== 'starting') return null;
  const files = readRunFiles(dir);
  if (files.exitCode !== null || files.pid !== null || files.notStarted !== null) return null;
  if (launcherAlive(m)) return { state: 'starting', reason: 'expkit launch is starting it' };
  abandon(dir);
  return null;
}

/** Mark the run abandoned (the file first: a wrapper that starts after this will see it). */
export function abandon(dir: string): void {
  try {
    writeFileSync(join(dir, RUN_FILES.abandoned), ABANDONED_REASON + '\n', { flag: 'wx' });
  } catch {
    /* already abandoned, or a read-only registry */
  }
  try {
    // The wrapper reads `abandoned` after writing `pid`: if it has no pid now, it will not start.
    if (readRunFiles(dir).pid === null) writeFileAtomic(join(dir, RUN_FILES.notStarted), ABANDONED_REASON + '\n');
    // The launcher's environment (secrets included) waited for a wrapper that will not use it.
    rmSync(join(dir, RUN_FILES.envFile), { force: true });
  } catch {
    /* read-only registry: shown as not_started all the same once the files say so */
  }
}
