/**
 * Errors a user can act on. The CLI prints `expkit: <message>` (one line, no stack)
 * and exits with `exitCode`.
 */
export class ExpkitError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.name = 'ExpkitError';
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.hint = options.hint;
  }
}

/** Documented exit codes, shared by every command. */
export const ExitCode = {
  Ok: 0,
  /** The command ran and reports a negative result (e.g. `wait` on a failed run). */
  Failure: 1,
  /** Bad usage or bad input: missing file, invalid name, malformed spec. */
  Usage: 2,
  /** Refused to act to protect the user's files (would overwrite, changed since preview). */
  Refused: 3,
  /** A required external component is missing (python, tmux, sbatch, ...). */
  Unavailable: 4,
  /** Internal error: a bug in expkit. */
  Internal: 70,
} as const;

export function isExpkitError(err: unknown): err is ExpkitError {
  return err instanceof ExpkitError;
}
