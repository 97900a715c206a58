import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode. An existing file keeps exactly its own mode unless this is given; a new file gets this (or 0644) less the umask. */
  mode?: number;
  /** Create missing parent directories. */
  mkdirs?: boolean;
}

/** The temporary name writeFileAtomic uses beside `path` (see isAtomicTemp). */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A temporary file writeFileAtomic (or writeFileExclusive) left when it was killed before the
 * rename: `.NAME.PID.HEX.tmp`. Returns the writer's PID, or null when `entry` is not one
 * (for `name`, when given).
 */
export function atomicTempOwner(entry: string, name?: string): number | null {
  const m = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/s.exec(entry);
  if (!m || (name !== undefined && m[1] !== name)) return null;
  return Number(m[2]);
}

/**
 * Why `path` cannot be replaced by a rename without losing something, or null when it can.
 * A rename gives the file a new inode: other hard links keep the old content, and the new
 * file belongs to whoever wrote it (root can hand it back to the owner; others cannot).
 */
export function replaceBlocker(path: string, st: Stats = statSync(path)): string | null {
  if (st.nlink > 1) return `it has ${st.nlink} hard links, which an atomic replace would split (the other names would keep the old content)`;
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return null;
  if (st.uid !== uid) return `it belongs to another user (uid ${st.uid}), and an atomic replace would make it yours`;
  if (st.gid !== process.getgid?.() && !(process.getgroups?.() ?? []).includes(st.gid)) {
    return `its group (gid ${st.gid}) is not one of yours, and an atomic replace would change it`;
  }
  return null;
}

/**
 * Write a file so readers only ever see the old or the new content: write a temporary file
 * beside it, fsync, then rename over the target. An existing target keeps its exact mode
 * (the umask does not apply) and its owner and group (see replaceBlocker for what cannot be kept).
 * On any failure the temporary file is removed and the target is untouched.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  if (options.mkdirs) mkdirSync(dirname(path), { recursive: true });
  let existing: Stats | null = null;
  try {
    existing = statSync(path);
  } catch {
    /* a new file */
  }
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'wx', options.mode ?? (existing ? existing.mode & 0o7777 : 0o644));
  try {
    if (existing) keepOwnerAndMode(fd, existing, options.mode ?? existing.mode & 0o7777);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    safeUnlink(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    safeUnlink(tmp);
    throw err;
  }
}

/** The replacement gets the old file's owner and group (when they differ; root only) and then its exact mode. */
function keepOwnerAndMode(fd: number, old: Stats, mode: number): void {
  const now = fstatSync(fd);
  // chown first: it clears set-id bits, which the chmod after it puts back.
  if (now.uid !== old.uid || now.gid !== old.gid) fchownSync(fd, old.uid, old.gid);
  fchmodSync(fd, mode);
}

export function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/**
 * Create `path` with `data`, complete or not at all, and never over an existing file (EEXIST):
 * the bytes go to a temporary file first, which is then linked to its name. A crash leaves at
 * most a temporary file (see removeOrphanTemps), never a short file under the real name.
 */
export function writeFileExclusive(path: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'wx', mode);
  try {
    fchmodSync(fd, mode);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    linkSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* closed already */
    }
    throw err;
  } finally {
    safeUnlink(tmp);
  }
}

/**
 * Remove the temporary files killed writers left in `dir` (beside `name` only, when given):
 * those whose process is gone, since a live one may still be about to rename its file.
 */
export function removeOrphanTemps(dir: string, name?: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = atomicTempOwner(entry, name);
    if (pid !== null && !processAlive(pid)) safeUnlink(join(dir, entry));
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
