import { ExitCode, ExpkitError } from '../core/errors.js';
import { sleep } from '../backends/proc.js';
import { TERMINAL_STATES, type Manifest, type RunState } from '../launch/manifest.js';
import { runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { viewRun, type RunView } from '../launch/view.js';
import { statusJson } from '../printers/status.js';

/** Exit code of `wait` when --timeout passes first (as timeout(1) does). */
export const WAIT_TIMED_OUT = 124;

export type WaitMode = 'any' | 'all';

export interface EndedRun {
  name: string;
  state: RunState;
  exitCode: number | null;
  reason: string | null;
}

/** `expkit wait RUN… --any|--all --json` (docs/json-output.md). */
export interface WaitResult {
  schemaVersion: 1;
  /** In the order they were seen to end (with --any, the first is the one that ended first). */
  ended: EndedRun[];
  pending: { name: string; state: RunState }[];
  timedOut: boolean;
}

/** 0 when every run that ended succeeded, 1 when one did not, 124 when the timeout came first. */
export function waitExitCode(r: WaitResult): number {
  if (r.timedOut) return WAIT_TIMED_OUT;
  return r.ended.every((e) => e.state === 'succeeded') ? ExitCode.Ok : ExitCode.Failure;
}

/**
 * Wait until any or all of RUNS have ended, or TIMEOUT seconds have passed. ON_CHANGE hears each
 * time a run ends (the MCP server turns it into progress notifications). Unknown or unreadable runs
 * are refused before any waiting.
 */
export async function waitForRuns(runs: string[], opts: { mode: WaitMode; timeout?: number; onChange?: (r: WaitResult) => void; root?: string; signal?: AbortSignal }): Promise<WaitResult> {
  // root: the MCP server waits in-process on its own project, whatever its cwd.
  const loaded = [...new Set(runs)].map((name) => loadRun(runsDir(opts.root), name));
  const deadline = Date.now() + (opts.timeout ?? Infinity) * 1000;
  const maxDelay = loaded.some((r) => r.manifest.backend === 'slurm') ? 2000 : 1000;
  const ended: EndedRun[] = [];
  let pending: { dir: string; manifest: Manifest; state: RunState }[] = loaded.map((r) => ({ ...r, state: r.manifest.state ?? 'starting' }));
  const result = (timedOut: boolean): WaitResult => ({ schemaVersion: 1, ended: [...ended], pending: pending.map((p) => ({ name: p.manifest.name, state: p.state })), timedOut });
  let delay = 100;
  for (;;) {
    const views = await Promise.all(pending.map((p) => viewRun(p.dir, p.manifest, false)));
    const now = views.filter((v) => TERMINAL_STATES.includes(v.state));
    // Runs seen ending in the same poll: the one that recorded its end first comes first.
    now.sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''));
    ended.push(...now.map((v) => ({ name: v.name, state: v.state, exitCode: v.exitCode, reason: v.reason })));
    pending = pending.flatMap((p, i) => (TERMINAL_STATES.includes(views[i].state) ? [] : [{ ...p, state: views[i].state }]));
    if (now.length > 0) opts.onChange?.(result(false));
    const done = pending.length === 0 || (opts.mode === 'any' && ended.length > 0);
    if (done) return result(false);
    if (Date.now() >= deadline || opts.signal?.aborted) return result(true);
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 1.5, maxDelay);
  }
}

function endedLine(e: EndedRun): string {
  return `${e.name}: ${e.state}${e.exitCode !== null ? ` (exit ${e.exitCode})` : ''}${e.reason && e.state !== 'succeeded' ? `: ${e.reason}` : ''}`;
}

/**
 * Block until the runs end; 0 only when those that ended succeeded, 1 otherwise, 124 on timeout.
 * One run without --any/--all keeps its original output (the status object plus `timedOut`).
 * `timeout`: seconds, parsed by the CLI; none waits for ever.
 */
export async function waitCommand(runs: string[], opts: { timeout?: number; json?: boolean; any?: boolean; all?: boolean }): Promise<number> {
  if (opts.any && opts.all) throw new ExpkitError('--any and --all cannot be combined', { exitCode: ExitCode.Usage, hint: '--any returns when the first run ends, --all (the default) when every one has' });
  if (runs.length === 1 && !opts.any && !opts.all) return waitOne(runs[0], opts);
  const r = await waitForRuns(runs, { mode: opts.any ? 'any' : 'all', timeout: opts.timeout });
  if (opts.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else {
    const lines = r.ended.map(endedLine);
    if (r.pending.length > 0) lines.push(`${r.timedOut ? `after waiting ${opts.timeout}s, ` : ''}not ended: ${r.pending.map((p) => `${p.name} (${p.state})`).join(', ')}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return waitExitCode(r);
}

async function waitOne(run: string, opts: { timeout?: number; json?: boolean }): Promise<number> {
  const r = await waitForRuns([run], { mode: 'all', timeout: opts.timeout });
  const { dir, manifest } = loadRun(runsDir(), run);
  const v: RunView = await viewRun(dir, manifest);
  const ended = !r.timedOut;
  if (opts.json) process.stdout.write(JSON.stringify({ ...statusJson(v), timedOut: !ended }, null, 2) + '\n');
  else process.stdout.write(`${v.name}: ${v.state}${v.exitCode !== null ? ` (exit ${v.exitCode})` : ''}${ended ? '' : ` after waiting ${opts.timeout}s`}${v.reason && v.state !== 'succeeded' ? `: ${v.reason}` : ''}\n`);
  if (!ended) return WAIT_TIMED_OUT;
  return v.state === 'succeeded' ? ExitCode.Ok : ExitCode.Failure;
}
