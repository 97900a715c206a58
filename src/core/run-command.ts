import { errorJson, errorText, type ErrorReport } from '../printers/error.js';
import { ExitCode, isExpkitError } from './errors.js';

export interface RunOptions {
  /** The command was asked for `--json`: a failure is also reported as JSON on stdout. */
  json?: boolean;
}

/**
 * Run a command's implementation and turn its outcome into an exit code.
 * User errors print one line (`expkit: …`); anything else is a bug and prints one line too,
 * with the stack only when EXPKIT_DEBUG is set.
 */
export async function runCommand(body: () => Promise<number | void>, options: RunOptions = {}): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? ExitCode.Ok;
  } catch (err) {
    process.exitCode = reportError(err, options);
  }
}

/** The report for any thrown value: an ExpkitError as it says, anything else as an internal error. */
export function describeError(err: unknown): ErrorReport {
  if (isExpkitError(err)) return { message: err.message, exitCode: err.exitCode, hint: err.hint ?? null };
  const message = err instanceof Error ? err.message : String(err);
  return { message: `internal error: ${message.split('\n')[0]}`, exitCode: ExitCode.Internal, hint: 'set EXPKIT_DEBUG=1 for the stack trace' };
}

export function reportError(err: unknown, options: RunOptions = {}): number {
  const report = describeError(err);
  const debugStack = !isExpkitError(err) && process.env.EXPKIT_DEBUG && err instanceof Error && err.stack ? err.stack : null;
  // With EXPKIT_DEBUG the stack replaces the hint that says to set it.
  process.stderr.write(errorText(debugStack ? { ...report, hint: null } : report));
  if (debugStack) process.stderr.write(`${debugStack}\n`);
  if (options.json) process.stdout.write(errorJson(report));
  return report.exitCode;
}
