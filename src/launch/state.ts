/** Deciding a run's state from the wrapper's files and what the backend says. Pure. */
import type { RunState } from './manifest.js';
import type { RunFiles } from './run-files.js';

/** What a backend knows about a run whose wrapper has not recorded an exit code. */
export type Probe =
  | { kind: 'alive' }
  | { kind: 'pending'; reason?: string }
  | { kind: 'gone' }
  /** A scheduler's final word (SLURM) when the wrapper could not write its file. */
  | { kind: 'ended'; state: RunState; exitCode: number | null; reason?: string };

export interface Decided {
  state: RunState;
  exitCode: number | null;
  reason: string | null;
}

function stopReason(files: RunFiles): string {
  return files.stoppedOn ? `stopped by --stop-on at a non-finite loss: ${files.stoppedOn.slice(0, 300)}` : 'stopped with expkit stop';
}

export function decideState(files: RunFiles, probe: () => Probe): Decided {
  if (files.exitCode !== null) {
    if (files.notStarted) return { state: 'not_started', exitCode: null, reason: files.notStarted };
    if (files.exitCode === 0) return { state: 'succeeded', exitCode: 0, reason: null };
    if (files.stopRequested) return { state: 'stopped', exitCode: files.exitCode, reason: stopReason(files) };
    return { state: 'failed', exitCode: files.exitCode, reason: `exit code ${files.exitCode}` };
  }
  if (files.notStarted) return { state: 'not_started', exitCode: null, reason: files.notStarted };
  const p = probe();
  switch (p.kind) {
    case 'alive':
      return { state: files.startedAt ? 'running' : 'queued', exitCode: null, reason: files.startedAt ? null : 'waiting to start' };
    case 'pending':
      return { state: 'queued', exitCode: null, reason: p.reason ?? null };
    case 'ended':
      return { state: files.stopRequested && p.state !== 'succeeded' ? 'stopped' : p.state, exitCode: p.exitCode, reason: p.reason ?? null };
    case 'gone':
      if (files.stopRequested) return { state: 'stopped', exitCode: null, reason: stopReason(files) };
      return { state: 'lost', exitCode: null, reason: 'the backend no longer has the run and it recorded no exit code' };
  }
}
