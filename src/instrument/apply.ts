/**
 * Writing a built patch: backup and record first, then an atomic replace of the file, and
 * only if the file is still exactly what was analysed.
 */
import { accessSync, constants, existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { editSummaries, sha256, type BuiltPatch } from './engine.js';
import {
  backupExists,
  ensureStateDir,
  expkitVersion,
  readRecord,
  writeBackup,
  writeRecord,
  type PatchRecord,
  type PatchTarget,
} from './state.js';
import type { InstrumentOptions, PatchKind } from './types.js';

export interface AppliedPatch {
  record: PatchRecord;
  recordPath: string;
  backupPath: string;
}

/** Refuse to write a read-only file (or one in a read-only directory): checked before planning. */
export function checkWritable(target: PatchTarget): void {
  try {
    // The mode bits too: root may write anything, but a file marked read-only is meant to stay as it is.
    if ((statSync(target.real).mode & 0o222) === 0) throw new Error('read-only');
    accessSync(target.real, constants.W_OK);
    accessSync(dirname(target.real), constants.W_OK);
  } catch {
    throw new ExpkitError(`${target.given} is read-only (or its directory is); nothing was changed`, {
      exitCode: ExitCode.Refused,
      hint: `make it writable (\`chmod u+w ${target.given}\`) and run the command again; a preview (without --apply) needs no write access`,
    });
  }
}

/**
 * Refuse to apply when the file cannot be written, when an earlier patch is recorded, or
 * when a backup is already there. Called before asking the user, so they are not asked in vain.
 */
export function checkCanApply(target: PatchTarget): void {
  const given = target.given;
  checkWritable(target);
  const existing = readRecord(target);
  if (existing) {
    const current = sha256(readFileSync(target.real));
    const when = existing.appliedAt;
    if (current === existing.sha256After) {
      throw new ExpkitError(`${given} already has an expkit patch (${existing.kinds.join(', ')}, applied ${when}); patches do not stack`, {
        exitCode: ExitCode.Refused,
        hint: `run \`expkit revert ${given}\`, then instrument again with all the flags you want at once`,
      });
    }
    throw new ExpkitError(`${given} was patched by expkit (${existing.kinds.join(', ')}, applied ${when}) and has changed since; nothing was changed`, {
      exitCode: ExitCode.Refused,
      hint: `run \`expkit revert ${given}\` first (your own edits are kept when they do not touch the patch)`,
    });
  }
  if (existsSync(target.backupPath)) throw backupExists(target);
}

/** Apply a built patch to `target`, which must be the file `built.file` was read from. */
export function applyBuiltPatch(target: PatchTarget, built: BuiltPatch, options: InstrumentOptions, now: Date = new Date()): AppliedPatch {
  if (built.diff === '') throw new Error('applyBuiltPatch called with an empty patch');
  checkCanApply(target);
  const mode = statSync(target.real).mode & 0o7777;
  const before = sha256(built.file.bytes);
  const record: PatchRecord = {
    schemaVersion: 1,
    file: target.relPath,
    kinds: [...new Set<PatchKind>(built.plan.edits.map((e) => e.kind))],
    options,
    edits: editSummaries(built.plan),
    appliedAt: now.toISOString(),
    expkitVersion: expkitVersion(),
    sha256Before: before,
    sha256After: sha256(built.after),
    diff: built.diff,
    backup: target.backupPath.slice(target.stateDir.length + 1),
  };
  ensureStateDir(target);
  writeBackup(target, built.file.bytes, mode);
  try {
    writeRecord(target, record);
    // Re-read right before writing: the file may have changed since it was analysed (or shown).
    if (sha256(readFileSync(target.real)) !== before) {
      throw new ExpkitError(`${target.given} changed since it was analysed; nothing was changed`, {
        exitCode: ExitCode.Refused,
        hint: 'run the command again to see a patch for the current version',
      });
    }
    writeFileAtomic(target.real, built.after);
  } catch (err) {
    removeQuietly(target.recordPath);
    removeQuietly(target.backupPath);
    throw err;
  }
  return { record, recordPath: target.recordPath, backupPath: target.backupPath };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* not there */
  }
}
