/**
 * Indentation for generated Python. Snippets are written at column 0 and indented as a block,
 * so the same text can be a top-level definition or sit inside an `if` or a class.
 */
export function indentBlock(text: string, indent: string | number = ''): string {
  const prefix = typeof indent === 'number' ? ' '.repeat(indent) : indent;
  if (prefix === '') return text;
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? line : prefix + line))
    .join('\n');
}
