/** A run's current status, as `status`, `wait`, `list` and `collect` report it. */
import { join } from 'node:path';
import { backendFor } from '../backends/index.js';
import type { Anomaly } from './anomalies.js';
import { detectAnomalies, lastProgressLine } from './anomalies.js';
import { etaSeconds, latestProgress, type ProgressNumbers } from './progress.js';
import type { BackendName, Manifest, RunState } from './manifest.js';
import { RUN_FILES } from './paths.js';
import { readLogTail, readRunFiles } from './run-files.js';
import { writeManifest, type RunEntry } from './registry.js';
import { launcherAlive, startingState } from './starting.js';
import { TERMINAL_STATES } from './manifest.js';
import { decideState, type Probe } from './state.js';

export interface RunView {
  name: string;
  /** null for a run whose manifest cannot be read. */
  backend: BackendName | null;
  state: RunState;
  reason: string | null;
  exitCode: number | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSec: number | null;
  slug: string | null;
  seed: number | null;
  command: string[];
  handle: Manifest['handle'];
  logPath: string;
  manifestPath: string;
  /** The latest line that looks like progress, as written. */
  progress: string | null;
  /** The same as numbers, gathered from the latest progress lines (docs/json-output.md). */
  progressNumbers: ProgressNumbers | null;
  /** Seconds left while running, when the log's bar or its totals tell. */
  eta: number | null;
  anomalies: Anomaly[];
}

export async function viewRun(dir: string, manifest: Manifest, withLog = true): Promise<RunView> {
  const starting = startingState(dir, manifest);
  if (starting) return baseView(dir, manifest, starting.state, starting.reason);
  let files = readRunFiles(dir);
  let probe: Probe = { kind: 'gone' };
  const backend = backendFor(manifest.backend);
  if (files.exitCode === null && !files.notStarted) {
    probe = await backend.probe(manifest, dir);
    // The run may have ended between reading its files and asking the backend.
    if (probe.kind !== 'alive' && probe.kind !== 'pending') files = readRunFiles(dir);
  } else if (backend.restartsRuns && files.exitCode !== 0 && !files.stopRequested && !files.notStarted) {
    // A requeued job's first attempt recorded its exit; the scheduler holds the job for another.
    const again = await backend.probe(manifest, dir);
    if (again.kind === 'alive' || again.kind === 'pending') {
      probe = again;
      files = { ...files, exitCode: null, endedAt: null };
    }
  }
  const d = decideState(files, () => probe);
  finalizeManifest(dir, manifest, d.state, d.exitCode, files.startedAt, files.endedAt, d.state === 'stopped' ? d.reason : null);
  const log = withLog ? readLogTail(join(dir, RUN_FILES.log)) : '';
  const startedAt = files.startedAt;
  const endedAt = files.endedAt;
  const end = endedAt ? Date.parse(endedAt) : d.state === 'running' ? Date.now() : NaN;
  const durationSec = startedAt && Number.isFinite(end) ? Math.max(0, Math.round((end - Date.parse(startedAt)) / 100) / 10) : null;
  const numbers = withLog ? latestProgress(log) : null;
  return {
    name: manifest.name,
    backend: manifest.backend,
    state: d.state,
    reason: d.reason,
    exitCode: d.exitCode,
    startedAt,
    endedAt,
    durationSec,
    slug: manifest.slug,
    seed: manifest.seed,
    command: manifest.command,
    handle: manifest.handle,
    logPath: join(dir, RUN_FILES.log),
    manifestPath: join(dir, RUN_FILES.manifest),
    progress: withLog ? lastProgressLine(log) : null,
    progressNumbers: numbers?.numbers ?? null,
    eta: numbers && d.state === 'running' ? etaSeconds(numbers, durationSec) : null,
    // A run stopped on purpose was killed by expkit, not by the OOM killer.
    anomalies: withLog ? detectAnomalies(log, d.state === 'stopped' ? null : d.exitCode) : [],
  };
}

function baseView(dir: string, m: Manifest, state: RunState, reason: string): RunView {
  return {
    name: m.name,
    backend: m.backend,
    state,
    reason,
    exitCode: null,
    startedAt: null,
    endedAt: null,
    durationSec: null,
    slug: m.slug,
    seed: m.seed,
    command: m.command,
    handle: m.handle,
    logPath: join(dir, RUN_FILES.log),
    manifestPath: join(dir, RUN_FILES.manifest),
    progress: null,
    progressNumbers: null,
    eta: null,
    anomalies: [],
  };
}

/** A run folder whose manifest.json cannot be read: shown, never rewritten. */
export function corruptView(entry: { name: string; dir: string; corrupt: string }): RunView {
  return {
    name: entry.name,
    backend: null,
    state: 'corrupt',
    reason: entry.corrupt,
    exitCode: null,
    startedAt: null,
    endedAt: null,
    durationSec: null,
    slug: null,
    seed: null,
    command: [],
    handle: {},
    logPath: join(entry.dir, RUN_FILES.log),
    manifestPath: join(entry.dir, RUN_FILES.manifest),
    progress: null,
    progressNumbers: null,
    eta: null,
    anomalies: [],
  };
}

/** The view of any run folder, readable or not. */
export function viewEntry(entry: RunEntry, withLog = true): Promise<RunView> {
  return entry.manifest ? viewRun(entry.dir, entry.manifest, withLog) : Promise.resolve(corruptView({ name: entry.name, dir: entry.dir, corrupt: entry.corrupt }));
}

/** Once a run has ended, copy its outcome into manifest.json so the record stands on its own. */
function finalizeManifest(dir: string, m: Manifest, state: RunState, exitCode: number | null, startedAt: string | null, endedAt: string | null, stopReason: string | null): void {
  if (!TERMINAL_STATES.includes(state) || state === 'lost' || state === 'corrupt' || m.state === state) return;
  // Its launcher is about to write the record with the backend's handle, then records the outcome itself.
  if (m.state === 'starting' && launcherAlive(m)) return;
  try {
    writeManifest(dir, { ...m, state, exitCode, startedAt, endedAt, ...(stopReason ? { stopReason } : {}) });
  } catch {
    /* read-only registry: the wrapper's files still hold the outcome */
  }
}
