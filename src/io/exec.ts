/**
 * Run a program with an argv array (never through a shell) and collect its output. A thin layer
 * over node:child_process: the launch path stays fast (execa alone costs ~100 ms to import).
 */
import { spawn } from 'node:child_process';

export interface ExecOptions {
  cwd?: string;
  /** Added to (and overriding) the current environment. */
  env?: Record<string, string | undefined>;
  timeout?: number;
  /** Pass the terminal through (attach). */
  inherit?: boolean;
}

export interface ExecResult {
  /** null when the program could not start or died from a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  all: string;
  /** Why it could not start (ENOENT…), or null. */
  error: string | null;
}

export function exec(cmd: string, args: readonly string[], o: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env ? { ...process.env, ...o.env } : process.env,
      stdio: o.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      timeout: o.timeout,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const all: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => (out.push(d), all.push(d)));
    child.stderr?.on('data', (d: Buffer) => (err.push(d), all.push(d)));
    let error: string | null = null;
    child.on('error', (e) => (error = e.message));
    child.on('close', (code, signal) => {
      resolve({ exitCode: error ? null : code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), all: Buffer.concat(all).toString('utf8'), error });
    });
  });
}
