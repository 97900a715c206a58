/**
 * The patch id: approval by hash. A preview prints it; `--apply --patch-id ID` (and the MCP tool
 * instrument_apply) applies only when the id recomputed now is the same, so what is written is
 * exactly what was shown: the same original bytes, the same options, the same diff.
 */
import { partsHash } from '../core/approval-id.js';
import type { InstrumentOptions } from './types.js';

/** Prefixed and versioned so a later change of what is hashed cannot match an old id by accident. */
const PREFIX = 'p1-';

export function patchId(original: Buffer, options: InstrumentOptions, diff: string): string {
  return PREFIX + partsHash([original, canonicalJson(options), diff]).slice(0, 32);
}

/** JSON with sorted keys, so the same options always hash the same, whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
