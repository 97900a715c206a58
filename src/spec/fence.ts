/** Finding a spec's YAML frontmatter between its `---` fences, and parsing it with a file line on error. */
import { type Document, parseDocument } from 'yaml';
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
  const doc = parseDocument(split.yamlText);
  const err = doc.errors[0];
  if (err) {
    const line = (err.linePos?.[0]?.line ?? 1) + 1; // +1 for the opening fence
    const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ExpkitError(`malformed frontmatter in ${path} at line ${line}: ${reason}`, { exitCode: ExitCode.Usage });
  }
  return doc;
}

