import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, parseDocument, visit } from 'yaml';
import { ExitCode, ExpkitError } from '../core/errors.js';

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

const OPEN_RE = /^\uFEFF?---[ \t]*\r?\n/;

interface Split {
  yamlText: string;
  /** Offset of the YAML text and of the text after the closing fence. */
  yamlStart: number;
  yamlEnd: number;
  eol: string;
}

function splitFrontmatter(text: string): Split | null {
  const open = OPEN_RE.exec(text);
  if (!open) return null;
  const yamlStart = open[0].length;
  const close = /^(---|\.\.\.)[ \t]*(\r?\n|$)/m;
  close.lastIndex = 0;
  const rest = text.slice(yamlStart);
  const m = close.exec(rest);
  if (!m) return null;
  const eol = open[0].endsWith('\r\n') ? '\r\n' : '\n';
  return { yamlText: rest.slice(0, m.index), yamlStart, yamlEnd: yamlStart + m.index, eol };
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

function parseYaml(split: Split, path: string): Document.Parsed {
  // The library's own duplicate-key check compares each key with every earlier one (quadratic:
  // minutes for 200k hyperparameters); duplicateKeyError does the same check with a set.
  const doc = parseDocument(split.yamlText, { uniqueKeys: false });
  const err = doc.errors[0] ?? duplicateKeyError(doc, split.yamlText);
  if (err) {
    const line = (err.linePos?.[0]?.line ?? 1) + 1; // +1 for the opening fence
    const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ExpkitError(`malformed frontmatter in ${path} at line ${line}: ${reason}`, { exitCode: ExitCode.Usage });
  }
  return doc;
}

/** The first duplicate plain key of any mapping, as the error the library reports for it. */
function duplicateKeyError(doc: Document.Parsed, text: string): { message: string; linePos?: { line: number }[] } | undefined {
  let found: { message: string; linePos?: { line: number }[] } | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key) && isScalar(pair.key)) {
          const offset = pair.key.range?.[0] ?? 0;
          found = { message: 'Map keys must be unique', linePos: [{ line: text.slice(0, offset).split('\n').length }] };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
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

/**
 * Set top-level frontmatter fields, keeping every other field, comment and the body as they are.
 * A file without frontmatter gets one. Returns the new text.
 */
export function updateSpecText(text: string, path: string, updates: Record<string, unknown>): string {
  const split = splitFrontmatter(text);
  if (!split) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const doc = new Document(updates);
    const yamlText = doc.toString().replace(/\n/g, eol);
    return `---${eol}${yamlText}---${eol}${text}`;
  }
  const parsed = parseYaml(split, path);
  // An empty frontmatter parses to null contents: start a fresh mapping then.
  const doc: Document = isMap(parsed.contents) ? parsed : new Document({});
  for (const [key, value] of Object.entries(updates)) doc.set(key, value);
  let yamlText = doc.toString({ lineWidth: 0 });
  if (split.eol === '\r\n') yamlText = yamlText.replace(/\r?\n/g, '\r\n');
  return text.slice(0, split.yamlStart) + yamlText + text.slice(split.yamlEnd);
}
