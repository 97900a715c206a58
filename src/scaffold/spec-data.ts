/**
 * The spec's frontmatter must be plain data before it is copied into config.yaml: YAML aliases
 * can make a value contain itself (train.py's config reader then never ends) or multiply a small
 * file into millions of values. Both are usage errors.
 */
import { ExitCode, ExpkitError } from '../core/errors.js';

/** More values than any real spec has: more means an alias bomb, not an experiment. */
export const MAX_SPEC_VALUES = 1_000_000;

/** Walks the data once (iteratively: deep nesting cannot overflow the stack). */
export function checkPlainData(data: unknown, where: string): void {
  // Depth-first with an explicit stack; `onPath` holds the containers above the current one.
  const onPath = new Set<object>();
  const stack: { value: unknown; path: string; leaving?: boolean }[] = [{ value: data, path: '' }];
  let count = 0;
  while (stack.length > 0) {
    const { value, path, leaving } = stack.pop()!;
    if (leaving) {
      onPath.delete(value as object);
      continue;
    }
    if (++count > MAX_SPEC_VALUES) {
      throw new ExpkitError(`the frontmatter${where} expands to more than ${MAX_SPEC_VALUES.toLocaleString('en')} values (YAML aliases repeated?); nothing written`, { exitCode: ExitCode.Usage });
    }
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    if (onPath.has(value)) {
      throw new ExpkitError(`field "${path.slice(1)}"${where} contains itself (a YAML alias to an enclosing value); nothing written`, { exitCode: ExitCode.Usage });
    }
    onPath.add(value);
    stack.push({ value, path, leaving: true });
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [k, v] of entries) stack.push({ value: v, path: `${path}.${k}` });
  }
}
