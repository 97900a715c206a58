/** The JSON form of `expkit revert` (documented in docs/json-output.md). */
import type { RevertResult } from '../instrument/revert.js';

export function revertJson(file: string, r: RevertResult) {
  return {
    schemaVersion: 1,
    file,
    /** Newest first, as they were taken off. */
    reverted: r.reverted.map(({ outcome, layer, archivedTo }) => ({ layer: layer.layer, kinds: layer.kinds, outcome, archivedTo })),
    /** --force only: where the user's edited version was kept. */
    editedCopy: r.editedCopy ?? null,
    /** The layers still applied, oldest first. */
    remaining: r.remaining.map((layer) => ({ layer: layer.layer, kinds: layer.kinds })),
    original: r.original,
  };
}
