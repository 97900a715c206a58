/** Experiment-spec bookkeeping: frontmatter `status` and a `log.md` beside the spec. */
import { appendFileSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { readSpec } from '../spec/frontmatter.js';
import { updateSpecBytes } from '../spec/update.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import type { RunState } from './manifest.js';

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
