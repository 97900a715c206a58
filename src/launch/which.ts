import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The full path of `cmd` on PATH (or `cmd` itself when it contains a slash and is executable), else null. */
export function commandOnPath(cmd: string, path = process.env.PATH ?? ''): string | null {
  if (cmd.includes('/')) return executable(cmd) ? cmd : null;
  for (const dir of path.split(delimiter)) {
    if (dir && executable(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}
