/** A unified diff for the terminal: unchanged when not colored, so it can be piped to `git apply`. */

const RESET = '\x1b[0m';
const STYLES: [prefix: string, style: string][] = [
  ['+++', '\x1b[1m'],
  ['---', '\x1b[1m'],
  ['@@', '\x1b[36m'],
  ['+', '\x1b[32m'],
  ['-', '\x1b[31m'],
  ['\\', '\x1b[2m'],
];

/** Color each line by its role; the line endings (LF or CRLF) stay outside the escapes. */
export function formatDiff(diff: string, color: boolean): string {
  if (!color || diff === '') return diff;
  return diff
    .split('\n')
    .map((line) => {
      const style = STYLES.find(([p]) => line.startsWith(p))?.[1];
      if (!style || line === '') return line;
      const cr = line.endsWith('\r') ? '\r' : '';
      return `${style}${cr ? line.slice(0, -1) : line}${RESET}${cr}`;
    })
    .join('\n');
}

/** Color on a terminal unless NO_COLOR is set (https://no-color.org). */
export function useColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(isTTY) && !env.NO_COLOR;
}
