/** What `expkit launch` was asked to run: a command after `--`, or an experiment SLUG. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { assertCommandRunnable } from './launch-plan.js';
import { commandOnPath } from './which.js';

export interface LaunchTarget {
  argv: string[];
  /** Set when launched as `expkit launch SLUG` (runs experiments/code/SLUG/run.sh). */
  slug: string | null;
}

/** `dashDash`: the words came after `--`, so they are always a command. */
export function resolveTarget(root: string, cwd: string, words: string[], dashDash: boolean): LaunchTarget {
  const single = !dashDash && words.length === 1 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(words[0]) ? words[0] : null;
  if (single) {
    const script = join(root, 'experiments', 'code', single, 'run.sh');
    if (existsSync(script)) return { argv: ['bash', script], slug: assertValidName('slug', single) };
    if (!commandOnPath(single) && existsSync(join(root, 'experiments'))) {
      throw new ExpkitError(`no experiment ${single}: experiments/code/${single}/run.sh does not exist`, { exitCode: ExitCode.Usage, hint: 'run expkit scaffold first, or give a command after --' });
    }
  }
  assertCommandRunnable(words, cwd);
  return { argv: words, slug: null };
}
