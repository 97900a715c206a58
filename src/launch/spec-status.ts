/** Experiment-spec bookkeeping: frontmatter `status` and a `log.md` beside the spec. */
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { updateSpecText, readSpec } from '../spec/frontmatter.js';
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

export function updateSpec(path: string, updates: Record<string, unknown>): void {
  const text = readFileSync(path, 'utf8');
  writeFileAtomic(path, updateSpecText(text, path, updates));
}

/** One line per event in `log.md` beside the spec (appends are atomic for short lines). */
export function appendSpecLog(specPath: string, line: string, when = new Date()): void {
  const log = join(dirname(specPath), 'log.md');
  appendFileSync(log, `- ${when.toISOString()} ${line.replace(/[\r\n]+/g, ' ')}\n`);
}
