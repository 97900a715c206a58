/**
 * Where expkit keeps what it needs to undo a patch: `.expkit/patches/` at the project root
 * (the git root, else the file's directory). For each patched file, one record (JSON) listing
 * its layers (one per `--apply`) and, per layer, a byte-exact backup of the file just before it;
 * a reverted layer's record and backup move to `history/`.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { writeFileAtomic, writeFileExclusive } from '../io/atomic.js';
import { findGitRoot, realOr } from './paths.js';
import { sha256 } from './engine.js';
import type { InstrumentOptions, PatchKind } from './types.js';

export const STATE_DIR = join('.expkit', 'patches');
/** Records are written in this version; version 1 (one patch per file) is still read, as layer 1. */
export const RECORD_SCHEMA_VERSION = 2;

/** One `--apply`: the kinds it added on top of the file as it was just before. */
export interface PatchLayer {
  /** 1 for the first patch, then 2, 3, … in the order they were applied. */
  layer: number;
  kinds: PatchKind[];
  options: InstrumentOptions;
  edits: { kind: PatchKind; line: number; reason: string }[];
  /** ISO 8601, UTC. */
  appliedAt: string;
  expkitVersion: string;
  /** The file just before this layer (layer 1: the original); its bytes are the layer's backup. */
  sha256Before: string;
  sha256After: string;
  /** The unified diff this layer applied, from the file as the layer below left it. */
  diff: string;
  /** The backup's file name, in the same folder as the record. */
  backup: string;
}

/** Everything expkit applied to one file, oldest layer first. */
export interface PatchRecord {
  schemaVersion: typeof RECORD_SCHEMA_VERSION;
  /** The patched file, relative to the project root, with `/` separators. */
  file: string;
  layers: PatchLayer[];
}

/** What expkit 0.1 wrote (one patch per file, no layers); read as a record with one layer. */
interface PatchRecordV1 extends Omit<PatchLayer, 'layer'> {
  schemaVersion: 1;
  file: string;
}

/** A file argument resolved for writing: the real file, the project it belongs to, its record's paths. */
export interface PatchTarget {
  /** As the user gave it, for messages. */
  given: string;
  /** The real path (symlinks resolved): what is read and written. */
  real: string;
  projectRoot: string;
  /** `real` relative to the project root, `/`-separated. */
  relPath: string;
  stateDir: string;
  recordPath: string;
  backupPath: string;
}

/** The project a path belongs to: its git root, else its own directory. */
export function projectRootFor(dir: string): string {
  return findGitRoot(dir) ?? resolve(dir);
}

/**
 * Resolve a file argument. A path that leads outside the project it is in through a symlink
 * (the file itself, or a directory on the way: `dirlink/train.py`) is refused: expkit would
 * write somewhere the user did not point at. Existence and readability are readSourceFile's
 * business: a missing file resolves to itself.
 */
export function resolveTarget(given: string): PatchTarget {
  const abs = resolve(given);
  let real = abs;
  try {
    real = realpathSync(abs);
  } catch {
    /* missing or dangling: reading it reports the problem */
  }
  // The project as the path names it (its git root, else its directory), and where the part
  // of the path below that root really leads: different when a symlink is on the way.
  const lexicalRoot = projectRootFor(dirname(abs));
  const root = realOr(lexicalRoot);
  const throughLink = real !== join(root, relative(lexicalRoot, abs));
  if (throughLink && !inside(root, real)) {
    const what = lstatIsLink(abs) ? 'a symlink' : 'reached through a symlinked directory, and leads';
    throw new ExpkitError(`${given} is ${what} to ${real}, outside the project ${root}; expkit patches files inside the project only`, {
      exitCode: ExitCode.Refused,
    });
  }
  const projectRoot = throughLink ? root : realOr(projectRootFor(dirname(real)));
  const relPath = relative(projectRoot, real).split(sep).join('/');
  const stateDir = join(projectRoot, STATE_DIR);
  const key = recordKey(relPath);
  return { given, real, projectRoot, relPath, stateDir, recordPath: join(stateDir, `${key}.json`), backupPath: join(stateDir, `${key}.orig`) };
}

function lstatIsLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A flat, readable, collision-free name for a file's record: `train.py.1a2b3c4d`. */
export function recordKey(relPath: string): string {
  return `${basename(relPath)}.${sha256(relPath).slice(0, 8)}`;
}

export function readRecord(target: PatchTarget): PatchRecord | null {
  if (!existsSync(target.recordPath)) return null;
  return parseRecord(target.recordPath);
}

function parseRecord(path: string): PatchRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ExpkitError(`cannot read the patch record ${path}: ${(err as Error).message.split('\n')[0]}`, { exitCode: ExitCode.Refused });
  }
  const rec = upgradeRecord(raw);
  if (!rec) throw new ExpkitError(`the patch record ${path} is not one this expkit understands`, { exitCode: ExitCode.Refused });
  return rec;
}

/** A record in the current shape, from either version on disk; null when it is neither. */
export function upgradeRecord(raw: unknown): PatchRecord | null {
  const rec = raw as { schemaVersion?: unknown; file?: unknown; layers?: Partial<PatchLayer>[] } | null;
  if (typeof rec !== 'object' || rec === null || typeof rec.file !== 'string') return null;
  if (rec.schemaVersion === 1) {
    const { schemaVersion: _v, file, ...layer } = rec as PatchRecordV1;
    return isLayer({ layer: 1, ...layer }) ? { schemaVersion: RECORD_SCHEMA_VERSION, file, layers: [{ layer: 1, ...layer }] } : null;
  }
  if (rec.schemaVersion !== RECORD_SCHEMA_VERSION || !Array.isArray(rec.layers) || rec.layers.length === 0) return null;
  // Layers are numbered 1, 2, … in order: anything else is not a record expkit wrote.
  if (!rec.layers.every((l, i) => isLayer(l) && l.layer === i + 1)) return null;
  return rec as PatchRecord;
}

function isLayer(l: Partial<PatchLayer> | null): l is PatchLayer {
  return (
    typeof l === 'object' &&
    l !== null &&
    typeof l.layer === 'number' &&
    Array.isArray(l.kinds) &&
    typeof l.sha256Before === 'string' &&
    typeof l.sha256After === 'string' &&
    typeof l.diff === 'string' &&
    // A bare name in the records folder: a record edited to point elsewhere must not move other files.
    typeof l.backup === 'string' &&
    /^[^/\\]+$/.test(l.backup) &&
    !/^\.\.?$/.test(l.backup)
  );
}

/** The newest layer: what `expkit revert` takes off first. */
export function topLayer(record: PatchRecord): PatchLayer {
  return record.layers[record.layers.length - 1]!;
}

/** Every kind in the record, in the order the layers added them. */
export function recordKinds(record: PatchRecord): PatchKind[] {
  return [...new Set(record.layers.flatMap((l) => l.kinds))];
}

/**
 * Where layer `n`'s backup goes: layer 1 keeps the name expkit always used (`FILE.HASH.orig`,
 * the original), later layers `FILE.HASH.layerN.orig` (the file as layer N-1 left it).
 */
export function backupPathForLayer(target: PatchTarget, n: number): string {
  return n === 1 ? target.backupPath : target.backupPath.replace(/\.orig$/, `.layer${n}.orig`);
}

/** A layer's backup, from the name its record gives. */
export function layerBackupPath(target: PatchTarget, layer: PatchLayer): string {
  return join(target.stateDir, layer.backup);
}

/** Every record in a project, sorted by file. */
export function listRecords(projectRoot: string): { record: PatchRecord; recordPath: string }[] {
  const dir = join(projectRoot, STATE_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .map((n) => ({ record: parseRecord(join(dir, n)), recordPath: join(dir, n) }))
    .sort((a, b) => a.record.file.localeCompare(b.record.file));
}

/** Create the state folder, with a .gitignore so backups never end up in a commit. */
export function ensureStateDir(target: PatchTarget): void {
  mkdirSync(target.stateDir, { recursive: true });
  const ignore = join(target.stateDir, '.gitignore');
  // Written whole or not at all: an empty .gitignore left by a full disk would let backups into commits.
  if (!existsSync(ignore)) createOnce(ignore, '# expkit: backups and patch records, local to this checkout\n*\n');
}

/** Write a layer's backup, complete (fsynced: the record that names it is written next) or not at all; never replaces an existing file. */
export function writeBackup(target: PatchTarget, path: string, bytes: Uint8Array, mode: number): void {
  try {
    writeFileExclusive(path, bytes, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw backupExists(target, path);
    throw err;
  }
}

/** writeFileExclusive, where a file already there (another expkit was faster) is as good. */
function createOnce(path: string, text: string): void {
  try {
    writeFileExclusive(path, text);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export function backupExists(target: PatchTarget, path: string = target.backupPath): ExpkitError {
  return new ExpkitError(`a backup of ${target.given} from an earlier apply already exists (${path}); expkit never overwrites it`, {
    exitCode: ExitCode.Refused,
    hint: `run \`expkit revert ${target.given}\` first, or move that backup away if you no longer need it`,
  });
}

/** Replace the record atomically: readers see the old layers or the new ones, never a torn file. */
export function writeRecord(target: PatchTarget, record: PatchRecord): void {
  writeFileAtomic(target.recordPath, serializeRecord(record));
}

function serializeRecord(record: PatchRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Take the newest layer off the record (after the file was put back as it was before that
 * layer) and move its record and backup to history/, stamped with the time. The record is
 * updated before the backup moves: a crash in between leaves a spare backup (apply then
 * refuses and names it), never a record whose backup is gone. Returns the history record.
 */
export function retireTopLayer(target: PatchTarget, record: PatchRecord, now: Date): { archivedTo: string; rest: PatchRecord | null } {
  const history = join(target.stateDir, 'history');
  mkdirSync(history, { recursive: true });
  const layer = topLayer(record);
  // Layer 1 keeps the names expkit always used; later layers say which they were.
  const base = `${basename(target.recordPath, '.json')}.${timestamp(now)}${layer.layer === 1 ? '' : `.layer${layer.layer}`}`;
  const dest = join(history, `${base}.json`);
  const rest: PatchRecord | null = record.layers.length > 1 ? { ...record, layers: record.layers.slice(0, -1) } : null;
  if (rest) {
    writeFileExclusive(dest, serializeRecord({ ...record, layers: [layer] }));
    writeRecord(target, rest);
  } else {
    renameSync(target.recordPath, dest);
  }
  const backup = layerBackupPath(target, layer);
  if (existsSync(backup)) renameSync(backup, join(history, `${base}.orig`));
  return { archivedTo: dest, rest };
}

/** A sortable, filename-safe UTC time: 20261122T211500Z (milliseconds added so names stay unique). */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '.$1Z');
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
