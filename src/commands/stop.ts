import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../core/errors.js';
import { parseSeconds } from '../core/numbers.js';
import { backendFor } from '../backends/index.js';
import { pollUntil } from '../backends/proc.js';
import { TERMINAL_STATES } from '../launch/manifest.js';
import { RUN_FILES, runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { settleSpecs } from '../launch/spec-status.js';
import { viewRun } from '../launch/view.js';
import { writeFileAtomic } from '../io/atomic.js';
import { statusJson } from '../printers/status.js';

/** Grace period between SIGTERM and SIGKILL: --grace (parsed by the CLI), else EXPKIT_STOP_GRACE, else 10 s. */
function graceMs(opts: { grace?: number }): number {
  const fromEnv = process.env.EXPKIT_STOP_GRACE;
  const s = opts.grace ?? (fromEnv === undefined ? 10 : parseSeconds('EXPKIT_STOP_GRACE', fromEnv, { min: 0, max: 86_400 }));
  return s * 1000;
}

export async function stopCommand(run: string, opts: { json?: boolean; grace?: number }): Promise<number> {
  const grace = graceMs(opts);
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
  if (!(await pollUntil(ended, grace, 200))) {
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
