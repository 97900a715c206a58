/** Helpers for writing Python source: literals for user values and import blocks. */
import { pyString } from '../core/quote.js';
import type { Hyperparameter, MetricSpec } from './types.js';

/**
 * A Python string literal as black writes it: double quotes, unless single quotes need fewer
 * escapes, so generated files stay unchanged under \`black --check\` whatever the value.
 */
export function pyStr(value: string): string {
  const count = (q: string) => value.split(q).length - 1;
  return pyString(value, count("'") < count('"') ? "'" : '"');
}

/** A Python literal for a hyperparameter value; floats keep a decimal point (`1.0`). */
export function pyLiteral(value: Hyperparameter['value'], kind?: Hyperparameter['kind']): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return pyStr(value);
  const text = String(value);
  return kind === 'float' && /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/**
 * A dict literal with one entry per line and a trailing comma, the layout black keeps as it is
 * whatever the values' length. `comments` adds a trailing `# comment` per entry (expkit's own
 * text only: user text never goes into comments, where a newline would end it).
 */
export function pyDict(name: string, entries: Array<[string, string, string?]>): string {
  const lines = entries.map(([key, literal, comment]) => `    ${pyStr(key)}: ${literal},${comment ? `  # ${comment}` : ''}`);
  return `${name} = {\n${lines.join('\n')}\n}\n`;
}

export function hyperparametersDict(hyper: Hyperparameter[]): string {
  return pyDict(
    'HYPERPARAMETERS',
    hyper.map((h) => [h.name, pyLiteral(h.value, h.kind), h.help.replace(/[\r\n]/g, ' ')]),
  );
}

export function metricsDict(metrics: MetricSpec[]): string {
  return pyDict('METRICS', metrics.map((m) => [m.name, pyStr(m.goal)]));
}

const STDLIB = new Set(['argparse', 'datetime', 'json', 'math', 'os', 'random', 'subprocess', 'time', 'uuid']);

/** Sort and dedupe import statements into black/isort-style blocks: stdlib, third party. */
export function importBlock(statements: readonly string[]): string {
  const unique = [...new Set(statements)];
  const moduleOf = (s: string) => s.split(/\s+/)[1].split('.')[0];
  const std = unique.filter((s) => STDLIB.has(moduleOf(s))).sort();
  const third = unique.filter((s) => !STDLIB.has(moduleOf(s))).sort();
  return [std, third].filter((b) => b.length > 0).map((b) => b.join('\n')).join('\n\n') + '\n';
}

/** Join top-level Python blocks with the two blank lines black puts between definitions. */
export function topLevel(...blocks: string[]): string {
  return blocks.map((b) => b.trimEnd()).filter((b) => b.length > 0).join('\n\n\n') + '\n';
}
