/**
 * `expkit patches [PATH]` (and `expkit instrument --status FILE`): the expkit patches recorded
 * for a file, or for the whole project of a directory (default: here), and whether each file
 * still matches what expkit wrote.
 */
import { resolve } from 'node:path';
import { ExitCode } from '../core/errors.js';
import { realOr } from '../instrument/paths.js';
import { projectRootFor, resolveTarget } from '../instrument/state.js';
import { fileStatus, projectStatus, type PatchStatus } from '../instrument/status.js';
import { isDirectory } from '../io/is-directory.js';
import { formatStatus } from '../printers/instrument.js';
import { processIo, type CommandIo } from './io.js';

export function patchesCommand(path: string | undefined, opts: { json?: boolean }, io: CommandIo = processIo()): number {
  let root: string;
  let patches: PatchStatus[];
  if (path !== undefined && !isDirectory(path)) {
    // A file, even a deleted one: its record may still be there.
    const target = resolveTarget(path);
    root = target.projectRoot;
    patches = fileStatus(target);
  } else {
    root = realOr(projectRootFor(resolve(path ?? '.')));
    patches = projectStatus(root);
  }
  io.out(opts.json ? `${JSON.stringify({ projectRoot: root, patches }, null, 2)}\n` : formatStatus(root, patches, path ?? 'this project'));
  return ExitCode.Ok;
}
