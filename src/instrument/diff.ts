/** The unified diff the user reviews (the path it names: paths.ts). */
// The module itself, not the package's index: the index loads every diff flavour (a third of instrument's start-up).
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff/lib/patch/create.js';

/** Lines of context around each change: what `git apply` needs to place a hunk. */
export const DIFF_CONTEXT = 3;

/**
 * A `git apply`-able unified diff from `before` to `after` (full decoded contents, BOM
 * included), with `a/PATH` and `b/PATH` headers. Empty when nothing changes.
 */
export function unifiedDiff(displayPath: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${displayPath}`, `b/${displayPath}`, before, after, undefined, undefined, {
    context: DIFF_CONTEXT,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
