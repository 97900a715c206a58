/** expkit's own version, read from its package.json. */
import { readFileSync } from 'node:fs';

/**
 * The package's version ('unknown' when package.json cannot be read). The path is relative to this
 * module, which sits two levels below the package root both as tsc emits it (dist/core/) and in
 * the bundle the CLI runs (dist/bundle/).
 */
export function expkitVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
