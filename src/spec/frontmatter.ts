import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { OPEN_RE, parseYaml, splitFrontmatter } from './fence.js';

/**
 * Experiment specs are Markdown files (`experiments/SLUG.md`, `wiki/experiments/SLUG.md`)
 * whose YAML frontmatter describes the experiment. Unknown fields are kept as they are.
 */
export interface ExperimentSpec {
  path: string;
  /** The parsed frontmatter (empty object when the file has none). */
  data: Record<string, unknown>;
  /** 1-based line of the first frontmatter line (after the opening `---`), or null. */
  frontmatterLine: number | null;
}

/** Locate the spec for SLUG: an explicit path wins, then experiments/, then wiki/experiments/. */
export function findSpecPath(projectDir: string, slug: string, explicit?: string): string | null {
  if (explicit) {
    if (!existsSync(explicit)) throw new ExpkitError(`spec file not found: ${explicit}`, { exitCode: ExitCode.Usage });
    return explicit;
  }
  for (const candidate of [join(projectDir, 'experiments', `${slug}.md`), join(projectDir, 'wiki', 'experiments', `${slug}.md`)]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Parse a spec's text. A malformed frontmatter is a usage error naming the file line. */
export function parseSpecText(text: string, path: string): ExperimentSpec {
  const split = splitFrontmatter(text);
  if (!split) {
    if (OPEN_RE.test(text)) {
      throw new ExpkitError(`malformed frontmatter in ${path} at line 1: the opening '---' has no closing '---'`, { exitCode: ExitCode.Usage });
    }
    return { path, data: {}, frontmatterLine: null };
  }
  const doc = parseYaml(split, path);
  const value: unknown = doc.toJS();
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new ExpkitError(`malformed frontmatter in ${path} at line 2: expected a mapping of fields, got ${Array.isArray(value) ? 'a list' : typeof value}`, { exitCode: ExitCode.Usage });
  }
  return { path, data: (value ?? {}) as Record<string, unknown>, frontmatterLine: 2 };
}

export function readSpec(path: string): ExperimentSpec {
  return parseSpecText(readFileSync(path, 'utf8'), path);
}

export { updateSpecText } from './update.js';
