import { ExitCode } from '../core/errors.js';
import { sleep } from '../backends/proc.js';
import { TERMINAL_STATES } from '../launch/manifest.js';
import { runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { viewRun, type RunView } from '../launch/view.js';
import { statusJson } from '../printers/status.js';

/** Exit code of `wait` when --timeout passes first (as timeout(1) does). */
export const WAIT_TIMED_OUT = 124;

/** Block until RUN ends; 0 only when it succeeded, 1 otherwise, 124 on timeout (still running). */
/** `timeout`: seconds, parsed by the CLI; none waits for ever. */
export async function waitCommand(run: string, opts: { timeout?: number; json?: boolean }): Promise<number> {
  const timeout = opts.timeout ?? Infinity;
  const { dir, manifest } = loadRun(runsDir(), run);
  const deadline = Date.now() + timeout * 1000;
  let delay = 100;
  let v: RunView;
  for (;;) {
    v = await viewRun(dir, manifest, false);
    if (TERMINAL_STATES.includes(v.state) || Date.now() >= deadline) break;
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 1.5, manifest.backend === 'slurm' ? 2000 : 1000);
  }
  v = await viewRun(dir, manifest);
  const ended = TERMINAL_STATES.includes(v.state);
  if (opts.json) process.stdout.write(JSON.stringify({ ...statusJson(v), timedOut: !ended }, null, 2) + '\n');
  else process.stdout.write(`${v.name}: ${v.state}${v.exitCode !== null ? ` (exit ${v.exitCode})` : ''}${ended ? '' : ` after waiting ${timeout}s`}${v.reason && v.state !== 'succeeded' ? `: ${v.reason}` : ''}\n`);
  if (!ended) return WAIT_TIMED_OUT;
  return v.state === 'succeeded' ? ExitCode.Ok : ExitCode.Failure;
}
