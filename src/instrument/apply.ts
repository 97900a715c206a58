/**
 * Writing a built patch as a new layer: its backup (the file's bytes just before it) and the
 * record first, then an atomic replace of the file, and only if the file is still exactly
 * what was analysed. A file that already carries expkit layers gets one more on top.
 */
import { accessSync, constants, existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { expkitVersion } from '../core/package-info.js';
import { replaceBlocker, writeFileAtomic } from '../io/atomic.js';
import { storageError } from '../io/write-errors.js';
import { editSummaries, sha256, type BuiltPatch } from './engine.js';
import {
  backupExists,
  backupPathForLayer,
  ensureStateDir,
  readRecord,
  RECORD_SCHEMA_VERSION,
  topLayer,
  writeBackup,
  writeRecord,
  type PatchLayer,
  type PatchRecord,
  type PatchTarget,
} from './state.js';
import { dropUnappliedLayer, removeLeftoverTemps, removeSpareBackup } from './recover.js';
import type { InstrumentOptions, PatchKind } from './types.js';

export interface AppliedPatch {
  /** The record with the new layer on top. */
  record: PatchRecord;
  layer: PatchLayer;
  recordPath: string;
  /** The new layer's backup: the file as it was just before this apply. */
  backupPath: string;
}

/** The points between the writes of an apply, in order (see ApplyHooks). */
export type ApplyStep = 'backup-written' | 'record-written' | 'file-written';

/** Fault injection for tests: called after each write, so a test can fail or kill the process there. */
export interface ApplyHooks {
  afterStep?: (step: ApplyStep) => void;
}

/**
 * Refuse to write a read-only file (or one in a read-only directory), or one an atomic replace
 * would change in other ways (hard links, owner): checked before planning.
 */
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
  const blocker = replaceBlocker(target.real);
  if (blocker) {
    throw new ExpkitError(`${target.given} cannot be replaced safely: ${blocker}; nothing was changed`, {
      exitCode: ExitCode.Refused,
      hint: blocker.includes('hard link')
        ? `give this name its own copy first (\`cp -p ${target.given} ${target.given}.copy && mv ${target.given}.copy ${target.given}\`), or patch the file under its other name`
        : 'run expkit as the file\'s owner (or as root, which keeps the owner and group)',
    });
  }
}

/**
 * Refuse to apply when the file cannot be written, when it changed since expkit's newest
 * layer (a layer stacks only on the file as expkit left it), or when the new layer's backup
 * is already there. Called before asking the user, so they are not asked in vain.
 * Returns the record the new layer goes on (null for a first patch).
 */
export function checkCanApply(target: PatchTarget): PatchRecord | null {
  const given = target.given;
  checkWritable(target);
  // What an earlier apply left when it was killed or ran out of space must not block this one.
  removeLeftoverTemps(target);
  const bytes = readFileSync(target.real);
  const record = dropUnappliedLayer(target, readRecord(target), bytes);
  removeSpareBackup(target, record, bytes);
  if (record) {
    const top = topLayer(record);
    const current = sha256(bytes);
    const which = `${top.kinds.join(', ')}, applied ${top.appliedAt}`;
    if (current !== top.sha256After) {
      throw new ExpkitError(`${given} was patched by expkit (${which}) and has changed since; nothing was changed`, {
        exitCode: ExitCode.Refused,
        hint: `run \`expkit revert --all ${given}\` first (your own edits are kept when they do not touch the patches), then instrument again with all the flags you want`,
      });
    }
  }
  const backup = backupPathForLayer(target, (record?.layers.length ?? 0) + 1);
  if (existsSync(backup)) throw backupExists(target, backup);
  return record;
}

/** Apply a built patch to `target`, which must be the file `built.file` was read from, as a new layer. */
export function applyBuiltPatch(target: PatchTarget, built: BuiltPatch, options: InstrumentOptions, now: Date = new Date(), hooks: ApplyHooks = {}): AppliedPatch {
  if (built.diff === '') throw new Error('applyBuiltPatch called with an empty patch');
  const previous = checkCanApply(target);
  const mode = statSync(target.real).mode & 0o7777;
  const before = sha256(built.file.bytes);
  const n = (previous?.layers.length ?? 0) + 1;
  const backupPath = backupPathForLayer(target, n);
  const layer: PatchLayer = {
    layer: n,
    kinds: [...new Set<PatchKind>(built.plan.edits.map((e) => e.kind))],
    options,
    edits: editSummaries(built.plan),
    appliedAt: now.toISOString(),
    expkitVersion: expkitVersion(),
    sha256Before: before,
    sha256After: sha256(built.after),
    diff: built.diff,
    backup: backupPath.slice(target.stateDir.length + 1),
  };
  const record: PatchRecord = { schemaVersion: RECORD_SCHEMA_VERSION, file: target.relPath, layers: [...(previous?.layers ?? []), layer] };
  const step = (s: ApplyStep) => hooks.afterStep?.(s);
  // Order matters for a crash at any point: backup, then record, then file. A crash before the
  // file is replaced leaves the file untouched and a record whose top layer revert retires.
  try {
    ensureStateDir(target);
    writeBackup(target, backupPath, built.file.bytes, mode);
  } catch (err) {
    throw storageError(err, `the backup of ${target.given} in ${target.stateDir}`);
  }
  try {
    step('backup-written');
    writeRecord(target, record);
    step('record-written');
    // Re-read right before writing: the file may have changed since it was analysed (or shown).
    if (sha256(readFileSync(target.real)) !== before) {
      throw new ExpkitError(`${target.given} changed since it was analysed; nothing was changed`, {
        exitCode: ExitCode.Refused,
        hint: 'run the command again to see a patch for the current version',
      });
    }
    writeFileAtomic(target.real, built.after);
  } catch (err) {
    // Back to the record as it was (the layers below stay), and no backup for a layer that is not there.
    try {
      if (previous) writeRecord(target, previous);
      else removeQuietly(target.recordPath);
      removeQuietly(backupPath);
    } catch {
      // A full disk can refuse the old record too: the next apply drops the unapplied layer (recover.ts).
    }
    throw storageError(err, target.given);
  }
  step('file-written');
  return { record, layer, recordPath: target.recordPath, backupPath };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* not there */
  }
}
