/**
 * The public form of library definitions, as `expkit scaffold` writes them into a generated
 * experiment's helpers.py: public names (`save_checkpoint`, not `_expkit_save_checkpoint`) and
 * docstrings without instrument's "(added by expkit)". The bodies stay as instrument inserts them,
 * imports inside each function included, so a fix to a definition reaches both.
 */
import type { PyDefinition } from './definition.js';

/** An expkit name used as a name (not inside a string such as `globals().get("_expkit_state")`). */
const EXPKIT_NAME = /(?<![\w"'])_(?:expkit|EXPKIT)_\w+/g;
const ADDED_BY_EXPKIT = ' (added by expkit)';

/** Python source of DEFINITIONS under their public names, two blank lines between them. */
export function publicSource(definitions: PyDefinition[]): string {
  const names = new Map(definitions.flatMap((d) => Object.entries(d.names)));
  for (const d of definitions) {
    for (const used of d.lines.join('\n').match(EXPKIT_NAME) ?? []) {
      if (!names.has(used)) throw new Error(`${Object.keys(d.names).join(', ')} uses ${used}, which is not among the definitions`);
    }
  }
  const rename = (line: string) => line.replace(EXPKIT_NAME, (name) => names.get(name)!).replace(ADDED_BY_EXPKIT, '');
  return definitions.map((d) => d.lines.map(rename).join('\n')).join('\n\n\n') + '\n';
}
