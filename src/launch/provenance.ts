/** What a run record captures about the code and interpreter: git state and Python. */
import { exec } from '../io/exec.js';
import { join, basename } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import type { GitInfo } from './manifest.js';
import { RUN_FILES } from './paths.js';
import { commandOnPath } from './which.js';

async function git(cwd: string, args: string[]): Promise<string | null> {
  const r = await exec('git', args, { cwd });
  return r.exitCode === 0 ? r.stdout : null;
}

/** Commit, branch, dirtiness; the uncommitted diff goes to `git.diff`, untracked files to `untracked.txt`. */
export async function captureGit(cwd: string, runDir: string): Promise<GitInfo> {
  const none: GitInfo = { commit: null, branch: null, dirty: false, diffFile: null, untracked: [] };
  if (!commandOnPath('git')) return none;
  const [commit, branch, status, diff, untracked] = await Promise.all([
    git(cwd, ['rev-parse', 'HEAD']),
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']),
    git(cwd, ['status', '--porcelain']),
    git(cwd, ['diff', 'HEAD', '--binary']),
    git(cwd, ['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  if (status === null) return none;
  const files = (untracked ?? '').split('\0').filter(Boolean);
  let diffFile: string | null = null;
  if (diff) {
    writeFileAtomic(join(runDir, RUN_FILES.gitDiff), diff);
    diffFile = RUN_FILES.gitDiff;
  }
  if (files.length) writeFileAtomic(join(runDir, RUN_FILES.untracked), files.join('\n') + '\n');
  return { commit: commit?.trim() || null, branch: branch?.trim() || null, dirty: status.trim() !== '', diffFile, untracked: files };
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
