/** Experiment-spec bookkeeping: frontmatter `status` and a `log.md` beside the spec. */
import { appendFileSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { findSpecPath, readSpec } from '../spec/frontmatter.js';
import { updateSpecBytes } from '../spec/update.js';
import { TERMINAL_STATES, type RunState } from './manifest.js';
import { expkitHome, projectRoot, runDir, runsDir } from './paths.js';
import { loadRun } from './registry.js';
import { claimSpec, type SpecLock } from './spec-lock.js';
import { viewRun, type RunView } from './view.js';
import { ExitCode, ExpkitError } from '../core/errors.js';

export { findSpecPath, readSpec } from '../spec/frontmatter.js';

export function specStatus(path: string): string | null {
  const s = readSpec(path).data.status;
  return typeof s === 'string' ? s : null;
}

/** Launch refuses a spec that is already running or completed. */
export function assertLaunchable(path: string): void {
  const status = specStatus(path);
  if (status === 'running' || status === 'completed') {
    throw new ExpkitError(`the experiment ${path} is already ${status}`, {
      exitCode: ExitCode.Refused,
      hint: status === 'running' ? 'follow it with expkit status, or stop it first' : 'copy the spec to a new slug to run it again, or set its status back to planned',
    });
  }
}

/**
 * The spec lifecycle: planned → running → completed (collected) | failed | stopped. Launch
 * is refused while running or once completed; failed and stopped experiments can be launched again.
 */
export type SpecStatus = 'planned' | 'running' | 'completed' | 'failed' | 'stopped';

/**
 * The status of an experiment once its launch's runs (in STATES) have all ended, or null while one
 * is queued or running: stopped if one was stopped, completed if all succeeded (collect then adds
 * the outcome), failed otherwise. Stopped and failed experiments can be launched again.
 */
export function statusAfterRuns(states: readonly RunState[]): SpecStatus | null {
  if (states.length === 0 || !states.every((s) => TERMINAL_STATES.includes(s))) return null;
  if (states.includes('stopped')) return 'stopped';
  return states.every((s) => s === 'succeeded') ? 'completed' : 'failed';
}

/**
 * After `stop` or `status`: a spec still `running` whose launch's runs (its `run` field) have all
 * ended moves on (statusAfterRuns), so a stopped experiment does not block its relaunch forever.
 * VIEWS are the runs the command just looked at; the launch's other runs are read here. Spec
 * bookkeeping never fails the command: a problem is one warning line on stderr.
 */
export async function settleSpecs(views: readonly RunView[]): Promise<void> {
  const slugs = new Set(views.filter((v) => v.slug !== null && TERMINAL_STATES.includes(v.state)).map((v) => v.slug!));
  if (slugs.size === 0) return;
  const root = projectRoot();
  for (const slug of slugs) {
    const specPath = findSpecPath(root, slug);
    if (!specPath) continue;
    let lock: SpecLock | null = null;
    try {
      // The launch lock: a relaunch writing `running` at this moment must not be overwritten.
      lock = claimSpec(expkitHome(root), slug);
      await settleSpec(specPath, root, views);
    } catch (err) {
      const busy = err instanceof ExpkitError && err.exitCode === ExitCode.Refused;
      if (!busy) process.stderr.write(`expkit: warning: could not update the status of ${relative(root, specPath)}: ${(err as Error).message.split('\n')[0]}\n`);
    } finally {
      lock?.release();
    }
  }
}

async function settleSpec(specPath: string, root: string, views: readonly RunView[]): Promise<void> {
  const data = readSpec(specPath).data;
  if (data.status !== 'running') return;
  const names = (Array.isArray(data.run) ? data.run : [data.run]).filter((n): n is string => typeof n === 'string');
  const launch: RunView[] = [];
  for (const name of names) {
    const seen = views.find((v) => v.name === name);
    if (seen) launch.push(seen);
    else if (existsSync(runDir(name, root))) {
      const { dir, manifest } = loadRun(runsDir(root), name);
      launch.push(await viewRun(dir, manifest, false));
    }
  }
  const next = statusAfterRuns(launch.map((v) => v.state));
  if (next === null) return;
  updateSpec(specPath, { status: next });
  appendSpecLogUnlessRepeated(specPath, `${next}: every run ended (${launch.map((v) => `${v.name} ${v.state}`).join(', ')})`);
}

/** The status of an experiment whose runs (in STATES) all ended without a result: stopped wins. */
export function endedWithoutResults(states: readonly RunState[]): 'stopped' | 'failed' {
  return states.includes('stopped') ? 'stopped' : 'failed';
}

/**
 * Set fields expkit owns in the spec, leaving the rest of the file byte for byte. A symlinked spec
 * stays a link: its target is replaced atomically (keeping its mode).
 */
export function updateSpec(path: string, updates: Record<string, unknown>): void {
  const target = realpathSync(path);
  const before = readFileSync(target);
  const after = updateSpecBytes(before, path, updates);
  if (!after.equals(before)) writeFileAtomic(target, after);
}

/** One line per event in `log.md` beside the spec (appends are atomic for short lines). */
export function appendSpecLog(specPath: string, line: string, when = new Date()): void {
  const log = join(dirname(specPath), 'log.md');
  appendFileSync(log, `- ${when.toISOString()} ${oneLine(line)}\n`);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/**
 * Like appendSpecLog, unless the log's last event is this same line (time aside): collecting an
 * unchanged experiment twice must not repeat it.
 */
export function appendSpecLogUnlessRepeated(specPath: string, line: string, when = new Date()): void {
  let last = '';
  try {
    const lines = readFileSync(join(dirname(specPath), 'log.md'), 'utf8').split('\n').filter(Boolean);
    last = lines[lines.length - 1] ?? '';
  } catch {
    /* no log yet */
  }
  if (last.replace(/^- \S+ /, '') === oneLine(line)) return;
  appendSpecLog(specPath, line, when);
}
