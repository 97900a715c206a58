/**
 * Tools run the built CLI as a child process with --json, in the project folder, rather than
 * calling the commands in-process. In-process capture is not safe here: most commands write
 * straight to process.stdout, which is this server's protocol channel (a stray byte breaks the
 * session), read process.cwd(), set process.exitCode, and `launch` records the CLI's own path
 * (process.argv[1]) in the run's wrapper. A child gives each call its own stdout, cwd and exit
 * code, and the exact `--json` object the CLI documents; it costs a Node start-up per call.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../core/errors.js';
import type { ErrorReport } from '../printers/error.js';

/** bin/expkit.js: this module sits two levels below the package root in dist/mcp/ and dist/bundle/ alike. */
export const CLI_PATH = fileURLToPath(new URL('../../bin/expkit.js', import.meta.url));

/** The most a command may print before the call is failed (a log is read with `lines`, or as a resource). */
const MAX_STDOUT = 32 * 1024 * 1024;

export type CliOutcome =
  | { ok: true; exitCode: number; json: unknown }
  | { ok: false; error: ErrorReport };

export interface CliRun {
  /** The words before `--json` (command and options). */
  args: string[];
  /** Words after `--`: positionals for most commands, the command to start for `launch`. */
  after?: string[];
  cwd: string;
  signal?: AbortSignal;
}

export function runCli({ args, after = [], cwd, signal }: CliRun): Promise<CliOutcome> {
  return new Promise((done) => {
    const argv = [CLI_PATH, ...args, '--json', ...(after.length > 0 ? ['--', ...after] : [])];
    // stdin closed: no command may wait for a person; stderr kept for the error's last resort.
    const child = spawn(process.execPath, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], signal, env: { ...process.env, EXPKIT_DEBUG: '' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_STDOUT) child.kill('SIGTERM');
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => done(failure(e.name === 'AbortError' ? 'the call was cancelled' : `could not run expkit: ${e.message}`, ExitCode.Internal)));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      done(interpret(code ?? ExitCode.Internal, stdout, stderr, size > MAX_STDOUT));
    });
  });
}

/** The CLI's answer as a tool outcome: its `{error}` object, or its result with the exit code. */
export function interpret(exitCode: number, stdout: string, stderr: string, truncated = false): CliOutcome {
  if (truncated) return failure(`the output was larger than ${MAX_STDOUT / 1024 / 1024} MB`, ExitCode.Failure, 'ask for less (logs: lines)');
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    const line = stderr.split('\n').find((l) => l.startsWith('expkit: ')) ?? stderr.split('\n')[0] ?? '';
    return failure(line ? line.replace(/^expkit: /, '') : `expkit exited with ${exitCode} and printed no JSON`, exitCode === 0 ? ExitCode.Internal : exitCode);
  }
  if (json !== null && typeof json === 'object' && 'error' in json && exitCode !== 0) return { ok: false, error: (json as { error: ErrorReport }).error };
  return { ok: true, exitCode, json };
}

function failure(message: string, exitCode: number, hint: string | null = null): CliOutcome {
  return { ok: false, error: { message, exitCode, hint } };
}
