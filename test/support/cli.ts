/** Run the built CLI (`bin/expkit.js`) as a user would, with an argument array. */
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'expkit.js');
/** The fixtures root; find a fixture script with fixturePath('name.py') (fixtures.js). */
export { FIXTURES, fixturePath } from './fixtures.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: Options = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], { reject: false, stripFinalNewline: false, ...options });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
