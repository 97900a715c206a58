/**
 * The one project an `expkit mcp` server works on (its working directory, or --dir), and the check
 * that keeps every path a tool is given inside it.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';

/** The project folder, symlinks resolved (so the inside check compares real paths). */
export function resolveProject(dir: string | undefined, cwd = process.cwd()): string {
  const path = resolve(cwd, dir ?? '.');
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new ExpkitError(`project directory not found: ${dir ?? path}`, { exitCode: ExitCode.Usage });
  }
  if (!st.isDirectory()) throw new ExpkitError(`${dir ?? path} is not a directory`, { exitCode: ExitCode.Usage });
  return realpathSync(path);
}

/**
 * PATH (relative to the project, or absolute) as a path inside the project; refused (exit 3) when it,
 * or a symlink on the way, leads outside. A path that does not exist yet is judged by the nearest
 * folder above it that does, so the command itself reports the missing file.
 */
export function insideProject(root: string, path: string): string {
  const wanted = resolve(root, path);
  let real = wanted;
  let rest = '';
  while (!existsSync(real)) {
    const parent = dirname(real);
    if (parent === real) break;
    rest = rest ? `${real.slice(parent.length + 1)}${sep}${rest}` : real.slice(parent.length + 1);
    real = parent;
  }
  const resolved = rest ? resolve(realpathSync(real), rest) : realpathSync(real);
  const rel = relative(root, resolved);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ExpkitError(`${path} is outside the project ${root}; nothing was done`, {
      exitCode: ExitCode.Refused,
      hint: 'this expkit mcp server works only on its project: start one with --dir for another',
    });
  }
  return rel === '' ? '.' : rel;
}
