/**
 * Approval ids: a short hash over exactly what a command would do, shown in its preview and
 * required to act on it. An agent (or a person) can then only carry out the plan that was shown:
 * if anything that decides the outcome changed since, the id no longer matches and the command
 * refuses (exit 3). Pure: callers pass what decides the outcome.
 */
import { createHash } from 'node:crypto';

/** 16 hex digits (64 bits): enough that a changed plan never matches by chance, short enough to pass around. */
export const APPROVAL_ID_LENGTH = 16;

/**
 * The id of a plan given as an ordered list of parts. Each part is length-prefixed, so no two
 * different lists hash the same input (["ab", "c"] ≠ ["a", "bc"]).
 */
export function approvalId(kind: string, parts: (string | Buffer)[]): string {
  return partsHash([kind, ...parts]).slice(0, APPROVAL_ID_LENGTH);
}

/** The sha256 (hex) of parts, each length-prefixed: what every approval id (patch ids too) is cut from. */
export function partsHash(parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** Ids are compared case-insensitively and without surrounding blanks (copied from a terminal). */
export function sameApprovalId(given: string, expected: string): boolean {
  return given.trim().toLowerCase() === expected;
}
