/**
 * Creating expkit's state folder (`$EXPKIT_HOME` or `<project>/.expkit`) and its `runs/`. A bad
 * place is the user's to fix, so it gets one line and exit 2, and nothing is left half-made: each
 * missing folder is created on its own (Node's recursive mkdir loops forever under /proc/self).
 */
import { accessSync, constants, mkdirSync, realpathSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { expkitHome } from './paths.js';

/** Kernel file systems: nothing of expkit's can live there. */
const PSEUDO_FS = /^\/(proc|sys)(\/|$)/;

function describeHome(home: string): string {
  return process.env.EXPKIT_HOME ? `EXPKIT_HOME ${process.env.EXPKIT_HOME}` : `the state folder ${home}`;
}

function refuse(message: string): never {
  throw new ExpkitError(message, { exitCode: ExitCode.Usage, hint: 'set EXPKIT_HOME to a writable folder, or run expkit from a writable project' });
}

/** true/false for a folder/anything else; null when missing (or a path component is a file). */
function isDirectory(path: string): boolean | null {
  try {
    return statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : false;
  }
}

/** The path's folders that do not exist yet, outermost first, and the nearest one that does. */
function missingFolders(path: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let p = path;
  while (isDirectory(p) === null) {
    missing.unshift(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  return { existing: p, missing };
}

/** `<home>/runs`, created when missing (the home gets a `.gitignore` of `*` when expkit creates it). */
export function ensureRunsDir(root: string): string {
  const home = expkitHome(root);
  const runs = join(home, 'runs');
  const what = describeHome(home);
  const { existing, missing } = missingFolders(runs);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    real = existing;
  }
  if (PSEUDO_FS.test(real)) refuse(`${what} is on a kernel file system (${real}): runs cannot be kept there`);
  if (!isDirectory(existing)) refuse(`${what} is not a folder (${existing} is not a folder)`);
  if (missing.length === 0) {
    try {
      accessSync(runs, constants.W_OK);
    } catch {
      refuse(`${what} is not writable (${runs})`);
    }
    return runs;
  }
  const created: string[] = [];
  try {
    for (const dir of missing) {
      mkdirSync(dir);
      created.push(dir);
      if (dir === home) writeFileSync(join(home, '.gitignore'), '# expkit state: runs, backups; never committed\n*\n');
    }
  } catch (err) {
    for (const dir of created.reverse()) {
      try {
        if (dir === home) rmGitignore(home);
        rmdirSync(dir);
      } catch {
        /* not ours to remove any more */
      }
    }
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    refuse(`cannot create ${what} (${why})`);
  }
  return runs;
}

function rmGitignore(home: string): void {
  try {
    unlinkSync(join(home, '.gitignore'));
  } catch {
    /* never written */
  }
}
