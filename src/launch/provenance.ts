/** What a run record captures about the code and interpreter: git state and Python. */
import { exec } from '../io/exec.js';
import { realpathSync } from 'node:fs';
import { basename, delimiter, isAbsolute, relative, resolve } from 'node:path';
import type { RunShInterpreter } from './slug-run.js';
import type { GitInfo } from './manifest.js';
import { RUN_FILES } from './paths.js';
import { commandOnPath } from './which.js';

async function git(cwd: string, args: string[]): Promise<string | null> {
  const r = await exec('git', args, { cwd });
  return r.exitCode === 0 ? r.stdout : null;
}

export interface GitCapture {
  info: GitInfo;
  /** For the run folder: `git.diff` (the uncommitted diff) and `untracked.txt`, when there are any. */
  files: Record<string, string>;
}

/** `:(top,exclude)PATH` for expkit's own folder when it lies inside the work tree: it is not the user's change. */
function excludeHome(top: string, home: string): string[] {
  let real = home;
  try {
    real = realpathSync(home);
  } catch {
    /* not created yet */
  }
  const rel = relative(top, real);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? [`:(top,exclude)${rel}`] : [];
}

/** Commit, branch, dirtiness, the uncommitted diff and untracked files, leaving out expkit's own folder `home`. */
export async function captureGit(cwd: string, home: string): Promise<GitCapture> {
  const none: GitCapture = { info: { commit: null, branch: null, dirty: false, diffFile: null, untracked: [] }, files: {} };
  if (!commandOnPath('git')) return none;
  const top = (await git(cwd, ['rev-parse', '--show-toplevel']))?.trim();
  if (!top) return none;
  const mine = excludeHome(top, home);
  const [commit, branch, status, diff, untracked] = await Promise.all([
    git(cwd, ['rev-parse', 'HEAD']),
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']),
    git(cwd, ['status', '--porcelain', '--', ':/', ...mine]),
    git(cwd, ['diff', 'HEAD', '--binary', '--', ':/', ...mine]),
    git(cwd, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.', ...mine]),
  ]);
  if (status === null) return none;
  const untrackedFiles = (untracked ?? '').split('\0').filter(Boolean);
  const files: Record<string, string> = {};
  if (diff) files[RUN_FILES.gitDiff] = diff;
  if (untrackedFiles.length) files[RUN_FILES.untracked] = untrackedFiles.join('\n') + '\n';
  const info = { commit: commit?.trim() || null, branch: branch?.trim() || null, dirty: status.trim() !== '', diffFile: diff ? RUN_FILES.gitDiff : null, untracked: untrackedFiles };
  return { info, files };
}

const PYTHON_RE = /^python[0-9.]*$/;

/** The interpreter a command runs: its first word when that is Python, else `python3` on PATH. */
export function pythonOf(argv: readonly string[]): string | null {
  const first = argv.find((a) => PYTHON_RE.test(basename(a)));
  return first ?? null;
}

export async function pythonVersion(python: string): Promise<string | null> {
  const r = await exec(python, ['-c', 'import sys; print(sys.version.split()[0])'], { timeout: 10000 });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

export async function capturePython(argv: readonly string[]): Promise<{ path: string | null; version: string | null }> {
  const named = pythonOf(argv) ?? 'python3';
  const path = commandOnPath(named);
  if (!path) return { path: null, version: null };
  return { path, version: await pythonVersion(path) };
}

/** The interpreter path run.sh will use, given its choice (resolved as run.sh's activation would). */
export async function resolveRunShPython(choice: RunShInterpreter, root: string): Promise<string | null> {
  if (choice.condaEnv) {
    if (!commandOnPath('conda')) return null;
    const r = await exec('conda', ['run', '-n', choice.condaEnv, choice.python, '-c', 'import sys; print(sys.executable)'], { timeout: 30000 });
    return r.exitCode === 0 ? r.stdout.trim().split('\n').pop() || null : null;
  }
  const path = choice.venv ? `${resolve(root, choice.venv)}/bin${delimiter}${process.env.PATH ?? ''}` : process.env.PATH ?? '';
  return commandOnPath(choice.python.includes('/') ? resolve(root, choice.python) : choice.python, path);
}

export async function pythonAt(path: string | null): Promise<{ path: string | null; version: string | null }> {
  return path ? { path, version: await pythonVersion(path) } : { path: null, version: null };
}
