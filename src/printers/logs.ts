/** The JSON form of `expkit logs` (documented in docs/json-output.md). */
import type { RunState } from '../launch/manifest.js';

/** The log's lines (the last `last` of them when given); a final newline does not make an empty line. */
export function logLines(text: string, last: number | null): { totalLines: number; lines: string[] } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { totalLines: lines.length, lines: last === null ? lines : last === 0 ? [] : lines.slice(-last) };
}

export function logsJson(name: string, state: RunState, logPath: string, text: string, last: number | null) {
  return { schemaVersion: 1, name, state, logPath, ...logLines(text, last) };
}
