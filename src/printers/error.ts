/**
 * How a failure is shown: one line on stderr (and a hint line), and under `--json` also one JSON
 * object on stdout, so an agent reads the outcome from stdout and never has to parse stderr.
 */
export interface ErrorReport {
  message: string;
  exitCode: number;
  /** What to do about it; null when there is nothing to add (the key is always there). */
  hint: string | null;
}

export function errorText(r: ErrorReport): string {
  return `expkit: ${r.message}\n${r.hint ? `hint: ${r.hint}\n` : ''}`;
}

/** `{schemaVersion: 1, error: {message, exitCode, hint}}`; documented in docs/json-output.md. */
export function errorJson(r: ErrorReport): string {
  return `${JSON.stringify({ schemaVersion: 1, error: { message: r.message, exitCode: r.exitCode, hint: r.hint } }, null, 2)}\n`;
}
