/** What is applied where: each file's record, layer by layer, compared with the file as it is now. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './engine.js';
import { listRecords, readRecord, recordKinds, topLayer, type PatchRecord, type PatchTarget } from './state.js';
import type { PatchKind } from './types.js';

/** One layer (one `--apply`), as `expkit patches --json` shows it. */
export interface LayerStatus {
  /** 1 for the first patch, then 2, 3, … */
  layer: number;
  kinds: PatchKind[];
  appliedAt: string;
  expkitVersion: string;
  /** A short name for the layer's patch: the first 12 hex digits of `diffSha256`. */
  id: string;
  /** sha256 of the unified diff the layer applied. */
  diffSha256: string;
  sha256Before: string;
  sha256After: string;
  /** The file just before this layer (layer 1: the original), byte for byte. */
  backup: string;
}

export interface PatchStatus {
  /** Relative to the project root. */
  file: string;
  /** Every kind applied, over all layers, in the order they were added. */
  kinds: PatchKind[];
  /** When the newest layer was applied. */
  appliedAt: string;
  /** The expkit that applied the newest layer. */
  expkitVersion: string;
  /**
   * applied: as expkit's newest layer left it; edited: changed since; original: back to the
   * original; interrupted: as it was before the newest layer (layer 2 or later), whose apply
   * did not get to write the file (revert retires that layer); missing: gone.
   */
  state: 'applied' | 'edited' | 'original' | 'interrupted' | 'missing';
  record: string;
  /** The original (layer 1's backup). */
  backup: string;
  /** Oldest first. */
  layers: LayerStatus[];
}

export function statusOf(projectRoot: string, record: PatchRecord, recordPath: string): PatchStatus {
  const top = topLayer(record);
  let state: PatchStatus['state'];
  try {
    const current = sha256(readFileSync(join(projectRoot, record.file)));
    if (current === top.sha256After) state = 'applied';
    else if (current === record.layers[0]!.sha256Before) state = 'original';
    else if (current === top.sha256Before) state = 'interrupted';
    else state = 'edited';
  } catch {
    state = 'missing';
  }
  const backupOf = (name: string) => join(recordPath, '..', name);
  return {
    file: record.file,
    kinds: recordKinds(record),
    appliedAt: top.appliedAt,
    expkitVersion: top.expkitVersion,
    state,
    record: recordPath,
    backup: backupOf(record.layers[0]!.backup),
    layers: record.layers.map((l) => {
      const diffSha256 = sha256(l.diff);
      return {
        layer: l.layer,
        kinds: l.kinds,
        appliedAt: l.appliedAt,
        expkitVersion: l.expkitVersion,
        id: diffSha256.slice(0, 12),
        diffSha256,
        sha256Before: l.sha256Before,
        sha256After: l.sha256After,
        backup: backupOf(l.backup),
      };
    }),
  };
}

export function projectStatus(projectRoot: string): PatchStatus[] {
  return listRecords(projectRoot).map(({ record, recordPath }) => statusOf(projectRoot, record, recordPath));
}

export function fileStatus(target: PatchTarget): PatchStatus[] {
  const record = readRecord(target);
  return record ? [statusOf(target.projectRoot, record, target.recordPath)] : [];
}
