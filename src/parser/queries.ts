import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The query files, one per concern: queries/python/<concern>.scm. */
export const QUERY_DIR = fileURLToPath(new URL('../../queries/python/', import.meta.url));

/**
 * All concerns' queries joined into one source, so a file is traversed once: traversal,
 * not pattern count, dominates query time.
 */
export function combinedQuerySource(): string {
  return readdirSync(QUERY_DIR)
    .filter((f) => f.endsWith('.scm'))
    .sort()
    .map((f) => `; ---- ${f}\n${readFileSync(QUERY_DIR + f, 'utf8')}`)
    .join('\n');
}

/** Captures whose name starts with `_` only feed predicates; analysis never sees them. */
export function isPublicCapture(name: string): boolean {
  return !name.startsWith('_');
}
