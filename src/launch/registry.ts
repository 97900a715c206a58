/**
 * The run registry: one folder per run under `runsDir()`. A run is claimed by creating its folder
 * (`mkdir` fails if it exists), so concurrent launches never share a name; every file inside is
 * written atomically. There is no shared index file to corrupt: listing reads the folders.
 */
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { Manifest } from './manifest.js';
import { RUN_FILES } from './paths.js';
import { uniqueCandidate } from './names.js';

/**
 * Claim a run folder. With `exact`, a taken name is refused; otherwise NAME-2, NAME-3… are tried.
 * Returns the name actually claimed.
 */
export function claimRunDir(runs: string, base: string, exact: boolean): string {
  assertValidName('run name', base);
  mkdirSync(runs, { recursive: true });
  for (let attempt = 0; attempt < 1000; attempt++) {
    const name = uniqueCandidate(base, attempt);
    try {
      mkdirSync(join(runs, name));
      return name;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (exact) {
        throw new ExpkitError(`a run named ${name} already exists`, { exitCode: ExitCode.Refused, hint: 'choose another --name, or leave it out to derive a unique one' });
      }
    }
  }
  throw new ExpkitError(`could not find a free run name starting with ${base}`, { exitCode: ExitCode.Refused });
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileAtomic(join(dir, RUN_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, RUN_FILES.manifest), 'utf8')) as Manifest;
}

/** Manifest of the run NAME, or a usage error naming the runs that exist. */
export function loadRun(runs: string, name: string): { dir: string; manifest: Manifest } {
  assertValidName('run name', name);
  const dir = join(runs, name);
  if (!existsSync(join(dir, RUN_FILES.manifest))) {
    throw new ExpkitError(`no run named ${name}`, { exitCode: ExitCode.Usage, hint: 'expkit list shows the runs' });
  }
  return { dir, manifest: readManifest(dir) };
}

/** Every recorded run, oldest first. Folders without a manifest (a launch in progress or one that failed) are skipped. */
export function listRuns(runs: string): { dir: string; manifest: Manifest }[] {
  let names: string[];
  try {
    names = readdirSync(runs);
  } catch {
    return [];
  }
  const out: { dir: string; manifest: Manifest }[] = [];
  for (const name of names) {
    const dir = join(runs, name);
    try {
      out.push({ dir, manifest: readManifest(dir) });
    } catch {
      /* not a complete run record */
    }
  }
  return out.sort((a, b) => a.manifest.createdAt.localeCompare(b.manifest.createdAt) || a.manifest.name.localeCompare(b.manifest.name));
}
