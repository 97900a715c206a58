import { ExitCode, ExpkitError } from './errors.js';

/** Names that become directory names, tmux windows and job names: slugs and run names. */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_NAME_LENGTH = 100;

/** Returns the reason a name is unacceptable, or null when it is fine. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_NAME_LENGTH) return `it is longer than ${MAX_NAME_LENGTH} characters`;
  if (name.includes('/') || name.includes('\\')) return 'it contains a path separator';
  if (name === '.' || name === '..' || name.includes('..')) return 'it contains ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains control characters';
  if (!NAME_RE.test(name)) return 'only letters, digits, "-", "_" and "." are allowed, starting with a letter or digit';
  return null;
}

/** Throw a usage error naming `what` ("slug", "run name") when `name` is unacceptable. */
export function assertValidName(what: string, name: string): string {
  const problem = nameProblem(name);
  if (problem) throw new ExpkitError(`invalid ${what} ${JSON.stringify(name)}: ${problem}`, { exitCode: ExitCode.Usage });
  return name;
}
