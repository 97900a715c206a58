import { ExitCode, isExpkitError } from './errors.js';

/**
 * Run a command's implementation and turn its outcome into an exit code.
 * User errors print one line (`expkit: …`); anything else is a bug and prints one line too,
 * with the stack only when EXPKIT_DEBUG is set.
 */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? ExitCode.Ok;
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (isExpkitError(err)) {
    process.stderr.write(`expkit: ${err.message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`expkit: internal error: ${message.split('\n')[0]}\n`);
  if (process.env.EXPKIT_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('hint: set EXPKIT_DEBUG=1 for the stack trace\n');
  return ExitCode.Internal;
}
