/** What is applied where: each record compared with the file as it is now. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './engine.js';
import { listRecords, readRecord, type PatchRecord, type PatchTarget } from './state.js';
import type { PatchKind } from './types.js';

export interface PatchStatus {
  /** Relative to the project root. */
  file: string;
  kinds: PatchKind[];
  appliedAt: string;
  expkitVersion: string;
  /** applied: as expkit left it; edited: changed since; original: back to the backup; missing: gone. */
  state: 'applied' | 'edited' | 'original' | 'missing';
  record: string;
  backup: string;
}

export function statusOf(projectRoot: string, record: PatchRecord, recordPath: string): PatchStatus {
  let state: PatchStatus['state'];
  try {
    const current = sha256(readFileSync(join(projectRoot, record.file)));
    state = current === record.sha256After ? 'applied' : current === record.sha256Before ? 'original' : 'edited';
  } catch {
    state = 'missing';
  }
  return {
    file: record.file,
    kinds: record.kinds,
    appliedAt: record.appliedAt,
    expkitVersion: record.expkitVersion,
    state,
    record: recordPath,
    backup: join(recordPath, '..', record.backup),
  };
}

export function projectStatus(projectRoot: string): PatchStatus[] {
  return listRecords(projectRoot).map(({ record, recordPath }) => statusOf(projectRoot, record, recordPath));
}

export function fileStatus(target: PatchTarget): PatchStatus[] {
  const record = readRecord(target);
  return record ? [statusOf(target.projectRoot, record, target.recordPath)] : [];
}
