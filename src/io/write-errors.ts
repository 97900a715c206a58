import { ExitCode, ExpkitError } from '../core/errors.js';

/** Errors that say the system could not store what expkit wrote: the user's to fix, not a bug. */
const STORAGE_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EROFS: 'read-only file system',
  EIO: 'input/output error on the device',
};

/**
 * A storage failure while writing `what` as a one-line ExpkitError (exit 1, README "Exit codes"),
 * saying what was left as it was; anything else is returned unchanged (a bug stays a bug).
 */
export function storageError(err: unknown, what: string, leftAsItWas = 'nothing was changed'): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const why = code ? STORAGE_ERRORS[code] : undefined;
  if (!why) return err;
  return new ExpkitError(`cannot write ${what}: ${why} (${code}); ${leftAsItWas}`, {
    exitCode: ExitCode.Failure,
    hint: 'free some space (or fix the file system) and run the command again',
  });
}
