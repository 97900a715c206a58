/**
 * The run registry: one folder per run under `runsDir()`. A run folder appears complete: it is
 * filled in a hidden staging folder (manifest.json first) and renamed into place, and the rename
 * fails when the name is taken, so concurrent launches never share a name and a killed launch
 * never leaves a folder that says nothing about itself. There is no shared index file to corrupt:
 * listing reads the folders, and a damaged manifest spoils only its own run.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { Manifest } from './manifest.js';
import { parseManifest } from './manifest-check.js';
import { RUN_FILES } from './paths.js';
import { uniqueCandidate } from './names.js';
import { identityOf, judgePid } from '../backends/proc.js';

/** Staging folders start with this (hidden from listings; a killed launch's are swept later). */
const STAGING_PREFIX = '.claim-';

/** Writes a run's files into `staging` for the run NAME whose final folder is `dir`. */
export type PopulateRun = (name: string, dir: string, staging: string) => void;

const TAKEN = new Set(['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR']);

/**
 * Claim a run folder. With `exact`, a taken name is refused; otherwise NAME-2, NAME-3… are tried.
 * `populate` writes the run's files for each candidate; returns the name actually claimed.
 */
export function claimRunDir(runs: string, base: string, exact: boolean, populate: PopulateRun): string {
  assertValidName('run name', base);
  sweepStaleClaims(runs);
  // mkdir (not mkdtemp, which makes it 0700): a run folder gets the usual mode.
  const staging = join(runs, `${STAGING_PREFIX}${process.pid}-${identityOf(process.pid)?.startTime ?? 'x'}-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging);
  try {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const name = uniqueCandidate(base, attempt);
      const dir = join(runs, name);
      if (!exists(dir)) {
        populate(name, dir, staging);
        try {
          // rename(2) is atomic and refuses a non-empty target: the first launch to get here wins.
          renameSync(staging, dir);
          return name;
        } catch (err) {
          if (!TAKEN.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
        }
      }
      if (exact) {
        throw new ExpkitError(`a run named ${name} already exists`, { exitCode: ExitCode.Refused, hint: 'choose another --name, or leave it out to derive a unique one' });
      }
    }
    throw new ExpkitError(`could not find a free run name starting with ${base}`, { exitCode: ExitCode.Refused });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove staging folders whose launch was killed before it renamed them (they never ran anything).
 * Their names carry the launcher's PID and start time, so a live launcher's is never taken.
 */
function sweepStaleClaims(runs: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(runs).filter((n) => n.startsWith(STAGING_PREFIX));
  } catch {
    return;
  }
  for (const n of names) {
    const [pid, startTime] = n.slice(STAGING_PREFIX.length).split('-');
    const dir = join(runs, n);
    const stale = /^\d+$/.test(pid) && /^\d+$/.test(startTime)
      ? judgePid(Number(pid), { runId: null, startTime, bootId: null }).kind !== 'ours'
      : Date.now() - mtimeMs(dir) > 60_000;
    if (stale) rmSync(dir, { recursive: true, force: true });
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileAtomic(join(dir, RUN_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
}

function readManifestAt(dir: string): ReturnType<typeof parseManifest> {
  let text: string;
  try {
    text = readFileSync(join(dir, RUN_FILES.manifest), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'no manifest.json (the folder was left by an interrupted launch)' : `manifest.json cannot be read (${code})` };
  }
  return parseManifest(text);
}

/** A run folder: its manifest, or why it cannot be read (`corrupt`). */
export type RunEntry = { name: string; dir: string; manifest: Manifest; corrupt: null } | { name: string; dir: string; manifest: null; corrupt: string };

function entry(runs: string, name: string): RunEntry {
  const dir = join(runs, name);
  const parsed = readManifestAt(dir);
  return parsed.ok ? { name, dir, manifest: parsed.manifest, corrupt: null } : { name, dir, manifest: null, corrupt: parsed.reason };
}

function isRunFolder(runs: string, name: string): boolean {
  if (name.startsWith('.')) return false;
  try {
    return statSync(join(runs, name)).isDirectory();
  } catch {
    return false;
  }
}

/** The run NAME, readable or not; a usage error naming how to list runs when there is none. */
export function loadRunEntry(runs: string, name: string): RunEntry {
  assertValidName('run name', name);
  if (!isRunFolder(runs, name)) {
    throw new ExpkitError(`no run named ${name}`, { exitCode: ExitCode.Usage, hint: 'expkit list shows the runs' });
  }
  return entry(runs, name);
}

/** Manifest of the run NAME; a usage error when there is none, exit 1 when it cannot be read. */
export function loadRun(runs: string, name: string): { dir: string; manifest: Manifest } {
  const e = loadRunEntry(runs, name);
  if (e.corrupt !== null) {
    throw new ExpkitError(`run ${name} cannot be used: ${e.corrupt}`, { exitCode: ExitCode.Failure, hint: `expkit leaves ${join(e.dir, RUN_FILES.manifest)} as it is; repair or remove that folder` });
  }
  return { dir: e.dir, manifest: e.manifest };
}

/** Every run folder, readable or not, oldest first (unreadable ones by name, after the others). */
export function listRunEntries(runs: string): RunEntry[] {
  let names: string[];
  try {
    names = readdirSync(runs);
  } catch {
    return [];
  }
  const entries = names.filter((n) => isRunFolder(runs, n)).map((n) => entry(runs, n));
  const key = (e: RunEntry) => e.manifest?.createdAt ?? '\uffff';
  return entries.sort((a, b) => key(a).localeCompare(key(b)) || a.name.localeCompare(b.name));
}

/** Every run with a readable manifest, oldest first. */
export function listRuns(runs: string): { dir: string; manifest: Manifest }[] {
  return listRunEntries(runs).flatMap((e) => (e.manifest ? [{ dir: e.dir, manifest: e.manifest }] : []));
}
