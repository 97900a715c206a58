/** `expkit revert FILE [--force]`: take an expkit patch out again. */
import { ExitCode } from '../core/errors.js';
import { revertFile } from '../instrument/revert.js';
import { resolveTarget } from '../instrument/state.js';
import { processIo, type CommandIo } from './io.js';

export function revertCommand(file: string, opts: { force?: boolean }, io: CommandIo = processIo()): number {
  const r = revertFile(resolveTarget(file), { force: opts.force });
  const messages = {
    restored: `reverted ${file}: the original is back, byte for byte`,
    'reverse-applied': `reverted ${file}: took expkit's patch out and kept your later edits`,
    'already-original': `${file} already matched its original; the patch record was retired`,
    forced: `restored the original of ${file}; your edited version is kept at ${r.editedCopy}`,
  };
  io.out(`${messages[r.outcome]}\n`);
  return ExitCode.Ok;
}
