import { statSync } from 'node:fs';

/** Whether `path` is a directory (following symlinks); false when it does not exist or cannot be read. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
