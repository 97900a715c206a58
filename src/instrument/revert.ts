/**
 * Undoing a patch: the backup byte for byte when the file is as expkit left it; otherwise the
 * recorded diff applied in reverse, so the user's later edits survive; otherwise a refusal
 * (or, with force, the backup with the user's version kept beside it).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, parsePatch, reversePatch } from 'diff';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { checkWritable } from './apply.js';
import { sha256 } from './engine.js';
import { archiveRecord, readRecord, timestamp, type PatchRecord, type PatchTarget } from './state.js';

export type RevertOutcome =
  /** The file was as expkit left it: the backup is back, byte for byte. */
  | 'restored'
  /** The user edited the file after the patch: the patch was taken out, their edits kept. */
  | 'reverse-applied'
  /** The file already matched the original: only the record was retired. */
  | 'already-original'
  /** --force: the backup is back and the user's version was kept as `editedCopy`. */
  | 'forced';

export interface RevertResult {
  outcome: RevertOutcome;
  record: PatchRecord;
  /** Where the record went (history/). */
  archivedTo: string;
  /** --force only: the user's edited version. */
  editedCopy?: string;
}

/** Take the patch out of `target`. Throws a Refused ExpkitError, changing nothing, when it cannot. */
export function revertFile(target: PatchTarget, opts: { force?: boolean; now?: Date } = {}): RevertResult {
  const now = opts.now ?? new Date();
  const record = readRecord(target);
  if (!record) {
    throw new ExpkitError(`${target.given} has no expkit patch to revert (no record in ${target.stateDir})`, { exitCode: ExitCode.Usage });
  }
  if (!existsSync(target.backupPath)) {
    throw new ExpkitError(`the backup of ${target.given} is missing (${target.backupPath}); nothing was changed`, { exitCode: ExitCode.Refused });
  }
  const backup = readFileSync(target.backupPath);
  if (sha256(backup) !== record.sha256Before) {
    throw new ExpkitError(`the backup ${target.backupPath} does not match its record (it was modified); nothing was changed`, { exitCode: ExitCode.Refused });
  }
  let current: Buffer;
  try {
    current = readFileSync(target.real);
  } catch (err) {
    throw new ExpkitError(`cannot read ${target.given}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, {
      exitCode: ExitCode.Usage,
      hint: `its original is kept at ${target.backupPath}`,
    });
  }
  checkWritable(target);
  const currentSha = sha256(current);
  const mode = statSync(target.real).mode & 0o7777;
  const finish = (outcome: RevertOutcome, editedCopy?: string): RevertResult => ({ outcome, record, archivedTo: archiveRecord(target, now), editedCopy });

  if (currentSha === record.sha256Before) return finish('already-original');
  if (currentSha === record.sha256After) {
    writeFileAtomic(target.real, backup, { mode });
    return finish('restored');
  }
  const reversed = reverseApply(current.toString('utf8'), record.diff);
  if (reversed !== null) {
    writeFileAtomic(target.real, Buffer.from(reversed, 'utf8'), { mode });
    return finish('reverse-applied');
  }
  if (!opts.force) {
    throw new ExpkitError(`${target.given} was edited where expkit patched it, so the patch cannot be taken out cleanly; nothing was changed`, {
      exitCode: ExitCode.Refused,
      hint: `\`expkit revert --force ${target.given}\` restores the original (${target.backupPath}) and keeps your version beside it`,
    });
  }
  const editedCopy = join(target.stateDir, `${target.backupPath.slice(target.stateDir.length + 1).replace(/\.orig$/, '')}.edited.${timestamp(now)}`);
  writeFileSync(editedCopy, current, { flag: 'wx', mode });
  writeFileAtomic(target.real, backup, { mode });
  return finish('forced', editedCopy);
}

/** `text` with the recorded patch taken out, or null when a hunk no longer fits exactly. */
export function reverseApply(text: string, diff: string): string | null {
  const patches = parsePatch(diff);
  if (patches.length !== 1) return null;
  const result = applyPatch(text, reversePatch(patches[0]!), { fuzzFactor: 0, autoConvertLineEndings: false });
  return result === false ? null : result;
}
