/** Finding a spec's YAML frontmatter between its `---` fences, and parsing it with a file line on error. */
import { type Document, isScalar, parseDocument, visit } from 'yaml';
import { ExitCode, ExpkitError } from '../core/errors.js';

export const OPEN_RE = /^\uFEFF?---[ \t]*\r?\n/;

export interface Split {
  yamlText: string;
  /** Offset of the YAML text and of the text after the closing fence. */
  yamlStart: number;
  yamlEnd: number;
  eol: string;
}

export function splitFrontmatter(text: string): Split | null {
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

export function parseYaml(split: Split, path: string): Document.Parsed {
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

