/** Checks a launch makes before it creates anything: the command exists, the script exists. */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { commandOnPath } from './which.js';

const PYTHON_RE = /^python[0-9.]*$/;

export function assertCommandRunnable(argv: readonly string[], cwd: string): void {
  if (argv.length === 0) {
    throw new ExpkitError('nothing to launch: give a command after --, or an experiment slug', { exitCode: ExitCode.Usage, hint: 'expkit launch -- python train.py' });
  }
  const [cmd] = argv;
  const path = cmd.includes('/') ? resolve(cwd, cmd) : cmd;
  if (!commandOnPath(path)) {
    const what = cmd.includes('/') && !existsSync(path) ? 'does not exist' : cmd.includes('/') ? 'is not executable' : 'was not found on PATH';
    throw new ExpkitError(`command ${cmd} ${what}`, { exitCode: ExitCode.Usage });
  }
  if (PYTHON_RE.test(basename(cmd))) {
    const script = argv.slice(1).find((a) => !a.startsWith('-'));
    const usesModule = argv.slice(1).some((a) => a === '-m' || a === '-c');
    if (!usesModule && script !== undefined && script.endsWith('.py') && !existsSync(resolve(cwd, script))) {
      throw new ExpkitError(`script ${script} does not exist (in ${cwd})`, { exitCode: ExitCode.Usage });
    }
  }
}
