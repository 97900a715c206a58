/** Run the built CLI (`bin/expkit.js`) as a user would, with an argument array. */
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'expkit.js');
export const FIXTURES = join(REPO_ROOT, 'fixtures');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: Options = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], { reject: false, stripFinalNewline: false, ...options });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
