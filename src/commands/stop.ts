import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../core/errors.js';
import { backendFor } from '../backends/index.js';
import { pollUntil } from '../backends/proc.js';
import { TERMINAL_STATES } from '../launch/manifest.js';
import { RUN_FILES, runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { settleSpecs } from '../launch/spec-status.js';
import { viewRun } from '../launch/view.js';
import { writeFileAtomic } from '../io/atomic.js';
import { statusJson } from '../printers/status.js';

/** Grace period between SIGTERM and SIGKILL, in seconds (EXPKIT_STOP_GRACE overrides). */
function graceMs(opts: { grace?: string }): number {
  const s = Number(opts.grace ?? process.env.EXPKIT_STOP_GRACE ?? 10);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : 10000;
}

export async function stopCommand(run: string, opts: { json?: boolean; grace?: string }): Promise<number> {
  const { dir, manifest } = loadRun(runsDir(), run);
  const backend = backendFor(manifest.backend);
  const before = await viewRun(dir, manifest, false);
  if (TERMINAL_STATES.includes(before.state)) {
    await settleSpecs([before]);
    process.stdout.write(opts.json ? JSON.stringify({ ...statusJson(before), stopped: false }, null, 2) + '\n' : `${run} already ended: ${before.state}\n`);
    return ExitCode.Ok;
  }
  writeFileSync(join(dir, RUN_FILES.stopRequested), new Date().toISOString() + '\n');
  const ended = async () => TERMINAL_STATES.includes((await viewRun(dir, manifest, false)).state);
  await backend.terminate(manifest, dir, 'SIGTERM');
  if (!(await pollUntil(ended, graceMs(opts), 200))) {
    await backend.terminate(manifest, dir, 'SIGKILL');
    await pollUntil(ended, 10000, 200);
  }
  // Killed before the wrapper could record it: record the end ourselves.
  if (!existsSync(join(dir, RUN_FILES.exitCode)) && manifest.backend !== 'slurm') {
    writeFileAtomic(join(dir, RUN_FILES.endedAt), new Date().toISOString() + '\n');
    writeFileAtomic(join(dir, RUN_FILES.exitCode), '137\n');
  }
  const v = await viewRun(dir, manifest, false);
  await settleSpecs([v]);
  process.stdout.write(opts.json ? JSON.stringify({ ...statusJson(v), stopped: true }, null, 2) + '\n' : `${run}: ${v.state}${v.exitCode !== null ? ` (exit ${v.exitCode})` : ''}\n`);
  return TERMINAL_STATES.includes(v.state) ? ExitCode.Ok : ExitCode.Failure;
}
