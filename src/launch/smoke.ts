/** `--smoke`: run the command once in the foreground first; launch only if it succeeds. */
import { exec } from '../io/exec.js';
import { ExitCode, ExpkitError } from '../core/errors.js';

export const SMOKE_TAIL_LINES = 20;

export async function runSmoke(argv: string[], cwd: string, env: Record<string, string>, quiet: boolean): Promise<void> {
  if (!quiet) process.stderr.write(`smoke test: ${argv.join(' ')}\n`);
  const r = await exec(argv[0], argv.slice(1), { cwd, env: { ...env, PYTHONUNBUFFERED: '1' } });
  if (r.exitCode === 0) {
    if (!quiet) process.stderr.write('smoke test passed\n');
    return;
  }
  const tail = r.all.trimEnd().split('\n').slice(-SMOKE_TAIL_LINES).join('\n');
  throw new ExpkitError(`smoke test failed (exit ${r.exitCode ?? r.signal ?? r.error}); not launching. Its last lines:\n${tail}`, { exitCode: ExitCode.Failure });
}
