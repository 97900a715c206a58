/** Where a patched file is: its git root, and the path diff headers show. */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The nearest directory at or above `dir` that holds `.git` (a directory or a worktree's file). */
export function findGitRoot(dir: string): string | null {
  let at = resolve(dir);
  for (;;) {
    if (existsSync(join(at, '.git'))) return at;
    const up = dirname(at);
    if (up === at) return null;
    at = up;
  }
}

/**
 * The path shown in the diff headers: relative to the git root when the file is inside a
 * repository (so `git apply` from the root finds it), else relative to the working directory.
 */
export function displayPathFor(file: string, cwd: string = process.cwd()): string {
  const abs = resolve(cwd, file);
  const gitRoot = findGitRoot(dirname(realOr(abs)));
  const base = gitRoot ?? cwd;
  let rel = relative(realOr(base), realOr(abs));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) rel = relative(cwd, abs) || abs;
  return rel.split(sep).join('/');
}

/** The real path, or the path itself when it does not resolve. */
export function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
