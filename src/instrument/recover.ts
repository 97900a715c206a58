/**
 * Cleaning up after an expkit that was killed (or ran out of space) part-way through an apply
 * or revert, so the next command is not blocked by what it left. Only leftovers that provably
 * hold nothing the user could need are removed: temporaries of dead writers, and a backup that
 * no record names and whose bytes are the file's own.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { removeOrphanTemps } from '../io/atomic.js';
import { sha256 } from './engine.js';
import { backupPathForLayer, layerBackupPath, readRecord, topLayer, writeRecord, type PatchRecord, type PatchTarget } from './state.js';

/** Temporaries of killed writers beside the file and in the state folder. */
export function removeLeftoverTemps(target: PatchTarget): void {
  removeOrphanTemps(dirname(target.real), basename(target.real));
  removeOrphanTemps(target.stateDir);
  removeOrphanTemps(join(target.stateDir, 'history'));
}

/**
 * The backup of the layer after the record's last one exists only when an apply stopped
 * between writing it and writing the record (or a revert between updating the record and
 * archiving the backup). When it holds exactly the file's current bytes it is a spare copy:
 * remove it. Otherwise it is left for the user (apply then names it).
 */
export function removeSpareBackup(target: PatchTarget, record: PatchRecord | null, current: Buffer): void {
  const spare = backupPathForLayer(target, (record?.layers.length ?? 0) + 1);
  if (existsSync(spare) && readFileSync(spare).equals(current)) unlinkSync(spare);
}

/**
 * An apply that stopped after its record and before the file: the top layer's "before" is the
 * file as it is, and its backup too. Take that layer out of the record (it was never in the
 * file) and remove its backup. Returns the record as it is now.
 */
export function dropUnappliedLayer(target: PatchTarget, record: PatchRecord | null, current: Buffer): PatchRecord | null {
  if (!record) return null;
  const top = topLayer(record);
  const sha = sha256(current);
  if (sha !== top.sha256Before || sha === top.sha256After) return record;
  const backup = layerBackupPath(target, top);
  if (!existsSync(backup) || !readFileSync(backup).equals(current)) return record;
  const rest: PatchRecord | null = record.layers.length > 1 ? { ...record, layers: record.layers.slice(0, -1) } : null;
  // The record first: a crash in between leaves a spare backup, which removeSpareBackup handles.
  if (rest) writeRecord(target, rest);
  else unlinkSync(target.recordPath);
  unlinkSync(backup);
  return readRecord(target);
}
