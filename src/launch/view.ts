/** A run's current status, as `status`, `wait`, `list` and `collect` report it. */
import { join } from 'node:path';
import { backendFor } from '../backends/index.js';
import type { Anomaly } from './anomalies.js';
import { detectAnomalies, lastProgressLine } from './anomalies.js';
import type { BackendName, Manifest, RunState } from './manifest.js';
import { RUN_FILES } from './paths.js';
import { readLogTail, readRunFiles } from './run-files.js';
import { writeManifest } from './registry.js';
import { TERMINAL_STATES } from './manifest.js';
import { decideState, type Probe } from './state.js';

export interface RunView {
  name: string;
  backend: BackendName;
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
  progress: string | null;
  anomalies: Anomaly[];
}

export async function viewRun(dir: string, manifest: Manifest, withLog = true): Promise<RunView> {
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
    // A run stopped on purpose was killed by expkit, not by the OOM killer.
    anomalies: withLog ? detectAnomalies(log, d.state === 'stopped' ? null : d.exitCode) : [],
  };
}

/** Once a run has ended, copy its outcome into manifest.json so the record stands on its own. */
function finalizeManifest(dir: string, m: Manifest, state: RunState, exitCode: number | null, startedAt: string | null, endedAt: string | null, stopReason: string | null): void {
  if (!TERMINAL_STATES.includes(state) || state === 'lost' || m.state === state) return;
  try {
    writeManifest(dir, { ...m, state, exitCode, startedAt, endedAt, ...(stopReason ? { stopReason } : {}) });
  } catch {
    /* read-only registry: the wrapper's files still hold the outcome */
  }
}
