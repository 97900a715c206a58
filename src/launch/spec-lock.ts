/**
 * Claiming an experiment for one launch: concurrent `expkit launch SLUG` calls race between
 * reading the spec's status and writing `running`, so the whole check-start-record sequence runs
 * under a lock file created with O_EXCL (`<expkit home>/locks/SLUG.lock`). A lock whose holder
 * died (kill -9 mid-launch) is taken over.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';

export interface SpecLock {
  release(): void;
}

function holderAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return true; // being written this instant: its holder is alive
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function claimSpec(home: string, slug: string): SpecLock {
  const dir = join(home, 'locks');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${slug}.lock`);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (attempt > 0 || holderAlive(path)) {
        throw new ExpkitError(`experiment ${slug} is being launched by another expkit launch right now`, {
          exitCode: ExitCode.Refused,
          hint: `follow that launch with expkit status; launch again only after it ended`,
        });
      }
      // The holder died mid-launch: take the lock over (once; a second race is refused above).
      try {
        unlinkSync(path);
      } catch {
        /* another launcher took it over first */
      }
    }
  }
  return {
    release() {
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
}
