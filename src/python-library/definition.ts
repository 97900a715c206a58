/**
 * One definition of generated Python, written once and rendered two ways: as `expkit instrument`
 * inserts it into a user's script (its stored text: `_expkit_` names, imports inside each function,
 * 4-space levels that the edit builder converts to the file's own indentation) and as `expkit
 * scaffold` writes it into a generated experiment's helpers.py (public names, see public-module.ts).
 */
export interface PyDefinition {
  /** The names it defines at module level, as instrument writes them, and their public names. */
  readonly names: Readonly<Record<string, string>>;
  /** Its text as instrument inserts it. */
  readonly lines: readonly string[];
}

/** A function definition; its instrument name is the one on its `def` line. */
export function pyFunction(publicName: string, lines: readonly string[]): PyDefinition {
  const name = /^def (\w+)\(/.exec(lines[0] ?? '')?.[1];
  if (!name) throw new Error(`a Python function definition starts with "def NAME(": ${lines[0]}`);
  return { names: { [name]: publicName }, lines };
}

/** Module-level statements (constants, a cache) that define NAMES. */
export function pyStatements(names: Record<string, string>, lines: readonly string[]): PyDefinition {
  return { names, lines };
}

/** The instrument form of DEFINITIONS: one block of lines, two blank lines between definitions. */
export function instrumentLines(...definitions: PyDefinition[]): string[] {
  return definitions.flatMap((d, i) => (i === 0 ? [...d.lines] : ['', '', ...d.lines]));
}
