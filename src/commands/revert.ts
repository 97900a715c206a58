/** `expkit revert FILE [--all] [--force] [--json]`: take expkit's newest patch layer (or every layer) out again. */
import { ExitCode } from '../core/errors.js';
import { revertFile, type LayerReverted } from '../instrument/revert.js';
import { resolveTarget } from '../instrument/state.js';
import { revertJson } from '../printers/revert.js';
import { processIo, type CommandIo } from './io.js';

/** `yes` is accepted and means nothing: revert never asks (instrument --apply does). */
export function revertCommand(file: string, opts: { force?: boolean; all?: boolean; yes?: boolean; json?: boolean }, io: CommandIo = processIo()): number {
  const r = revertFile(resolveTarget(file), { force: opts.force, all: opts.all });
  if (opts.json) {
    io.out(`${JSON.stringify(revertJson(file, r), null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (r.editedCopy !== undefined) {
    const lowest = r.reverted[r.reverted.length - 1]!.layer.layer;
    const what = lowest === 1 ? `the original of ${file}` : `${file} as it was before layer ${lowest}`;
    io.out(`restored ${what}; your edited version is kept at ${r.editedCopy}\n`);
  } else {
    for (const step of r.reverted) io.out(`${layerMessage(file, step)}\n`);
  }
  if (r.remaining.length > 0) {
    const kinds = [...new Set(r.remaining.flatMap((l) => l.kinds))].join(', ');
    const layers = r.remaining.length === 1 ? 'layer 1' : `layers 1–${r.remaining.length}`;
    io.out(`${file} still carries expkit ${layers} (${kinds}); \`expkit revert --all ${file}\` takes every layer out\n`);
  }
  return ExitCode.Ok;
}

/** Layer 1 keeps the words expkit always used; a later layer says which it was and where the file is now. */
function layerMessage(file: string, { outcome, layer }: LayerReverted): string {
  if (layer.layer === 1) {
    return {
      restored: `reverted ${file}: the original is back, byte for byte`,
      'reverse-applied': `reverted ${file}: took expkit's patch out and kept your later edits`,
      'already-original': `${file} already matched its original; the patch record was retired`,
      forced: `restored the original of ${file}`,
    }[outcome];
  }
  const which = `layer ${layer.layer} (${layer.kinds.join(', ')})`;
  return {
    restored: `reverted ${which} of ${file}: the file is back as layer ${layer.layer - 1} left it, byte for byte`,
    'reverse-applied': `reverted ${which} of ${file}: took that layer out and kept your later edits`,
    'already-original': `${which} of ${file} was not in the file (its apply was interrupted); its record was retired`,
    forced: `restored ${file} as it was before ${which}`,
  }[outcome];
}
