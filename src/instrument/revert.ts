/**
 * Undoing patches, newest layer first. For each layer: its backup byte for byte when the file
 * is as that layer left it; otherwise the layer's diff applied in reverse, so the user's later
 * edits survive; otherwise a refusal (or, with force, the backup with the user's version kept
 * beside it). `all` peels every layer, deciding all of them before writing anything.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, parsePatch, reversePatch } from 'diff';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { writeFileAtomic, writeFileExclusive } from '../io/atomic.js';
import { storageError } from '../io/write-errors.js';
import { checkWritable } from './apply.js';
import { sha256 } from './engine.js';
import { removeLeftoverTemps, removeSpareBackup } from './recover.js';
import { layerBackupPath, readRecord, retireTopLayer, timestamp, topLayer, type PatchLayer, type PatchRecord, type PatchTarget } from './state.js';

export type RevertOutcome =
  /** The file was as expkit left it: the layer's backup is back, byte for byte. */
  | 'restored'
  /** The user edited the file after the layer: the layer was taken out, their edits kept. */
  | 'reverse-applied'
  /** The file already matched the layer's backup: only the layer's record was retired. */
  | 'already-original'
  /** --force: the backup is back and the user's version was kept as `editedCopy`. */
  | 'forced';

/** One layer taken off. */
export interface LayerReverted {
  outcome: RevertOutcome;
  layer: PatchLayer;
  /** Where the layer's record went (history/). */
  archivedTo: string;
}

export interface RevertResult {
  /** Newest first, as they were taken off. */
  reverted: LayerReverted[];
  /** The layers still applied (oldest first); empty when the file has no expkit patch left. */
  remaining: PatchLayer[];
  /** --force only: the user's edited version. */
  editedCopy?: string;
  /** The file now matches the original (layer 1's backup) byte for byte. */
  original: boolean;
}

/** What taking one layer off `current` gives, or null when the user's edits overlap the layer. */
interface Peel {
  outcome: Exclude<RevertOutcome, 'forced'>;
  bytes: Buffer;
}

/**
 * Take the newest layer (or, with `all`, every layer) out of `target`. Throws a Refused
 * ExpkitError, changing nothing, when it cannot.
 */
export function revertFile(target: PatchTarget, opts: { force?: boolean; all?: boolean; now?: Date } = {}): RevertResult {
  try {
    return revertLayers(target, opts);
  } catch (err) {
    throw storageError(err, target.given, 'the file and its record still agree (run the command again when there is space)');
  }
}

function revertLayers(target: PatchTarget, opts: { force?: boolean; all?: boolean; now?: Date }): RevertResult {
  const now = opts.now ?? new Date();
  removeLeftoverTemps(target);
  const record = readRecord(target);
  if (!record) {
    throw new ExpkitError(`${target.given} has no expkit patch to revert (no record in ${target.stateDir})`, { exitCode: ExitCode.Usage });
  }
  const peeled = opts.all ? [...record.layers].reverse() : [topLayer(record)];
  const backups = peeled.map((layer) => checkedBackup(target, layer));
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
  removeSpareBackup(target, record, current);
  const mode = statSync(target.real).mode & 0o7777;

  // Decide every step in memory first: a refusal part-way must change nothing.
  const steps: Peel[] = [];
  let text = current;
  for (const [i, layer] of peeled.entries()) {
    const step = peelLayer(text, layer, backups[i]!);
    if (!step) {
      if (opts.force) return forceRestore(target, record, peeled.length, current, backups[backups.length - 1]!, mode, now);
      throw editedWherePatched(target, record, layer, opts.all === true);
    }
    steps.push(step);
    text = step.bytes;
  }

  // Then one atomic write and one record update per layer, newest first: a crash between
  // steps leaves a file that the remaining record describes.
  const reverted: LayerReverted[] = [];
  let rec: PatchRecord | null = record;
  let written = current;
  for (const step of steps) {
    if (!step.bytes.equals(written)) writeFileAtomic(target.real, step.bytes, { mode });
    written = step.bytes;
    const layer = topLayer(rec!);
    const retired = retireTopLayer(target, rec!, now);
    reverted.push({ outcome: step.outcome, layer, archivedTo: retired.archivedTo });
    rec = retired.rest;
  }
  return { reverted, remaining: rec?.layers ?? [], original: sha256(written) === record.layers[0]!.sha256Before };
}

/** Taking `layer` off `current`: its backup, nothing, or its diff in reverse; null when none fits. */
export function peelLayer(current: Buffer, layer: PatchLayer, backup: Buffer): Peel | null {
  const sha = sha256(current);
  if (sha === layer.sha256Before) return { outcome: 'already-original', bytes: current };
  if (sha === layer.sha256After) return { outcome: 'restored', bytes: backup };
  const reversed = reverseApply(current, layer.diff);
  return reversed === null ? null : { outcome: 'reverse-applied', bytes: reversed };
}

/** A layer's backup, checked against its record. */
function checkedBackup(target: PatchTarget, layer: PatchLayer): Buffer {
  const path = layerBackupPath(target, layer);
  if (!existsSync(path)) {
    throw new ExpkitError(`the backup of ${target.given} is missing (${path}); nothing was changed`, { exitCode: ExitCode.Refused });
  }
  const backup = readFileSync(path);
  if (sha256(backup) !== layer.sha256Before) {
    throw new ExpkitError(`the backup ${path} does not match its record (it was modified); nothing was changed`, { exitCode: ExitCode.Refused });
  }
  return backup;
}

function editedWherePatched(target: PatchTarget, record: PatchRecord, layer: PatchLayer, all: boolean): ExpkitError {
  // With one layer the message is the one expkit always gave; with several it names the layer.
  const which = record.layers.length > 1 ? ` (layer ${layer.layer}: ${layer.kinds.join(', ')})` : '';
  const restores = all || record.layers.length === 1 ? 'the original' : `the file as it was before layer ${topLayer(record).layer}`;
  const flags = all ? '--all --force' : '--force';
  return new ExpkitError(`${target.given} was edited where expkit patched it${which}, so the patch cannot be taken out cleanly; nothing was changed`, {
    exitCode: ExitCode.Refused,
    hint: `\`expkit revert ${flags} ${target.given}\` restores ${restores} (${layerBackupPath(target, all ? record.layers[0]! : topLayer(record))}) and keeps your version beside it`,
  });
}

/** --force: the backup of the lowest layer being taken off comes back; the user's version is kept beside it. */
function forceRestore(target: PatchTarget, record: PatchRecord, count: number, current: Buffer, backup: Buffer, mode: number, now: Date): RevertResult {
  const lowest = record.layers[record.layers.length - count]!;
  const editedCopy = join(target.stateDir, `${lowest.backup.replace(/\.orig$/, '')}.edited.${timestamp(now)}`);
  writeFileExclusive(editedCopy, current, mode);
  writeFileAtomic(target.real, backup, { mode });
  const reverted: LayerReverted[] = [];
  let rec: PatchRecord | null = record;
  for (let i = 0; i < count; i++) {
    const layer = topLayer(rec!);
    const retired = retireTopLayer(target, rec!, now);
    reverted.push({ outcome: 'forced', layer, archivedTo: retired.archivedTo });
    rec = retired.rest;
  }
  return { reverted, remaining: rec?.layers ?? [], editedCopy, original: sha256(backup) === record.layers[0]!.sha256Before };
}

/**
 * `current` with the recorded patch taken out, or null when a hunk no longer fits exactly.
 * Works on bytes: both sides are read as Latin-1, one character per byte, so whatever the user
 * added (invalid UTF-8 included) comes back byte for byte; a newline byte is never part of a
 * multi-byte UTF-8 character, so lines split where they do in the UTF-8 diff.
 */
export function reverseApply(current: Buffer, diff: string): Buffer | null {
  const patches = parsePatch(Buffer.from(diff, 'utf8').toString('latin1'));
  if (patches.length !== 1) return null;
  const result = applyPatch(current.toString('latin1'), reversePatch(patches[0]!), { fuzzFactor: 0, autoConvertLineEndings: false });
  return result === false ? null : Buffer.from(result, 'latin1');
}
