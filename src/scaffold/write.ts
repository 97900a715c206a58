/**
 * Writing a planned scaffold: every file or none. Each file (and each --force backup) is first
 * written in full to a temporary file beside it; only when all of them are on disk are they
 * renamed into place. A failure (a full disk) removes the temporaries and the folders this
 * write created, so the project is as it was.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { safeUnlink } from '../io/atomic.js';
import { storageError } from '../io/write-errors.js';
import type { PlannedFile } from './plan.js';

/** A path on the way to the experiment folder that exists and is not a folder: refused (exit 3). */
export function checkNothingInTheWay(projectDir: string, experimentDir: string): void {
  let at = projectDir;
  for (const part of experimentDir.split('/')) {
    at = join(at, part);
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch {
      return; // missing from here on: the write creates it
    }
    if (!isDir) {
      throw new ExpkitError(`${at} exists and is not a folder, and the experiment goes in it; nothing written`, {
        exitCode: ExitCode.Refused,
        hint: 'move it away (or choose another slug) and run the command again',
      });
    }
  }
}

interface Staged {
  tmp: string;
  dest: string;
}

export function writePlannedFiles(projectDir: string, files: PlannedFile[]): void {
  const abs = (p: string) => join(projectDir, p);
  const createdDirs: string[] = [];
  const staged: Staged[] = [];
  try {
    for (const f of files) {
      if (f.action === 'skipped' || f.action === 'conflict') continue;
      makeDirs(dirname(abs(f.projectPath)), createdDirs);
      if (f.backup) {
        const old = abs(f.projectPath);
        staged.push(stage(abs(f.backup), readFileSync(old), statSync(old).mode & 0o7777));
      }
      staged.push(stage(abs(f.projectPath), Buffer.from(f.content, 'utf8'), f.mode));
    }
  } catch (err) {
    for (const s of staged) safeUnlink(s.tmp);
    for (const d of createdDirs.reverse()) removeEmptyDir(d);
    throw storageError(err, `the experiment in ${projectDir}`, 'nothing written');
  }
  // Renames need no space: once every file is staged, this completes.
  for (const s of staged) renameSync(s.tmp, s.dest);
}

/** mkdir -p, remembering the folders it made (outermost first) so a failure can take them back. */
function makeDirs(dir: string, created: string[]): void {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.unshift(d);
    if (d === first || d === dirname(d)) break;
  }
  created.push(...chain);
}

function removeEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    /* not empty or gone */
  }
}

function stage(dest: string, bytes: Buffer, mode: number): Staged {
  const tmp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // A new file: its mode as planned (run.sh executable), less the umask like any new file.
  const fd = openSync(tmp, 'wx', mode);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    safeUnlink(tmp);
    throw err;
  }
  closeSync(fd);
  return { tmp, dest };
}
