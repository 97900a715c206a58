/**
 * Where expkit keeps what it needs to undo a patch: `.expkit/patches/` at the project root
 * (the git root, else the file's directory). For each patched file, a record (JSON) and a
 * byte-exact backup of the original; after a revert both move to `history/`.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { findGitRoot, realOr } from './diff.js';
import { sha256 } from './engine.js';
import type { InstrumentOptions, PatchKind } from './types.js';

export const STATE_DIR = join('.expkit', 'patches');
export const RECORD_SCHEMA_VERSION = 1;

export interface PatchRecord {
  schemaVersion: 1;
  /** The patched file, relative to the project root, with `/` separators. */
  file: string;
  kinds: PatchKind[];
  options: InstrumentOptions;
  edits: { kind: PatchKind; line: number; reason: string }[];
  /** ISO 8601, UTC. */
  appliedAt: string;
  expkitVersion: string;
  sha256Before: string;
  sha256After: string;
  /** The unified diff that was applied. */
  diff: string;
  /** The backup's file name, in the same folder as the record. */
  backup: string;
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
 * Resolve a file argument. A symlink whose target lies outside the project the link is in is
 * refused (expkit would write somewhere the user did not point at). Existence and readability
 * are readSourceFile's business: a missing file resolves to itself.
 */
export function resolveTarget(given: string): PatchTarget {
  const abs = resolve(given);
  let real = abs;
  let isLink = false;
  try {
    isLink = lstatSync(abs).isSymbolicLink();
    real = realpathSync(abs);
  } catch {
    /* missing or dangling: reading it reports the problem */
  }
  const root = realOr(projectRootFor(dirname(abs)));
  if (isLink && !inside(root, real)) {
    throw new ExpkitError(`${given} is a symlink to ${real}, outside the project ${root}; expkit patches files inside the project only`, {
      exitCode: ExitCode.Refused,
    });
  }
  const projectRoot = isLink ? root : realOr(projectRootFor(dirname(real)));
  const relPath = relative(projectRoot, real).split(sep).join('/');
  const stateDir = join(projectRoot, STATE_DIR);
  const key = recordKey(relPath);
  return { given, real, projectRoot, relPath, stateDir, recordPath: join(stateDir, `${key}.json`), backupPath: join(stateDir, `${key}.orig`) };
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
  let rec: PatchRecord;
  try {
    rec = JSON.parse(readFileSync(path, 'utf8')) as PatchRecord;
  } catch (err) {
    throw new ExpkitError(`cannot read the patch record ${path}: ${(err as Error).message.split('\n')[0]}`, { exitCode: ExitCode.Refused });
  }
  if (rec?.schemaVersion !== RECORD_SCHEMA_VERSION || typeof rec.sha256After !== 'string' || typeof rec.backup !== 'string') {
    throw new ExpkitError(`the patch record ${path} is not one this expkit understands`, { exitCode: ExitCode.Refused });
  }
  return rec;
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
  if (!existsSync(ignore)) writeFileSync(ignore, '# expkit: backups and patch records, local to this checkout\n*\n');
}

/** Write the backup; never replaces an existing file. */
export function writeBackup(target: PatchTarget, bytes: Uint8Array, mode: number): void {
  try {
    writeFileSync(target.backupPath, bytes, { flag: 'wx', mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw backupExists(target);
    throw err;
  }
}

export function backupExists(target: PatchTarget): ExpkitError {
  return new ExpkitError(`a backup of ${target.given} from an earlier apply already exists (${target.backupPath}); expkit never overwrites it`, {
    exitCode: ExitCode.Refused,
    hint: `run \`expkit revert ${target.given}\` first, or move that backup away if you no longer need it`,
  });
}

export function writeRecord(target: PatchTarget, record: PatchRecord): void {
  writeFileAtomic(target.recordPath, `${JSON.stringify(record, null, 2)}\n`);
}

/** Move the record and its backup to history/ (after a revert), stamped with the time. */
export function archiveRecord(target: PatchTarget, now: Date): string {
  const history = join(target.stateDir, 'history');
  mkdirSync(history, { recursive: true });
  const stamp = timestamp(now);
  const base = basename(target.recordPath, '.json');
  const dest = join(history, `${base}.${stamp}.json`);
  if (existsSync(target.backupPath)) renameSync(target.backupPath, join(history, `${base}.${stamp}.orig`));
  renameSync(target.recordPath, dest);
  return dest;
}

/** A sortable, filename-safe UTC time: 20261122T211500Z (milliseconds added so names stay unique). */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '.$1Z');
}

export function expkitVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
