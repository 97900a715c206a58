/** `--smoke`: run the command once in the foreground first; launch only if it succeeds. */
import { execa } from 'execa';
import { ExitCode, ExpkitError } from '../core/errors.js';

export const SMOKE_TAIL_LINES = 20;

export async function runSmoke(argv: string[], cwd: string, env: Record<string, string>, quiet: boolean): Promise<void> {
  if (!quiet) process.stderr.write(`smoke test: ${argv.join(' ')}\n`);
  const r = await execa(argv[0], argv.slice(1), { cwd, env: { ...env, PYTHONUNBUFFERED: '1' }, all: true, reject: false, stdin: 'ignore' });
  if (r.exitCode === 0) {
    if (!quiet) process.stderr.write('smoke test passed\n');
    return;
  }
  const tail = String(r.all ?? '').trimEnd().split('\n').slice(-SMOKE_TAIL_LINES).join('\n');
  throw new ExpkitError(`smoke test failed (exit ${r.exitCode ?? r.signal}); not launching. Its last lines:\n${tail}`, { exitCode: ExitCode.Failure });
}
