/**
 * What writing the scaffold would do to the files already there: pure, given their contents.
 * New files are written, identical ones skipped, different ones are conflicts that only
 * `--force` may replace (keeping a backup).
 */
import type { GeneratedFile } from './types.js';

export type FileAction = 'written' | 'skipped' | 'backed-up' | 'conflict';

export interface PlannedFile extends GeneratedFile {
  /** Path relative to the project directory (experiments/code/SLUG/…). */
  projectPath: string;
  bytes: number;
  action: FileAction;
  /** Where the old content goes, relative to the project directory (backed-up only). */
  backup?: string;
}

/**
 * `existing(path)` returns the current content of a project-relative path, or null when there is
 * no file; `taken(path)` says whether a path is in use (for choosing a backup name).
 */
export function planFiles(
  files: GeneratedFile[],
  experimentDir: string,
  existing: (projectPath: string) => string | null,
  taken: (projectPath: string) => boolean,
  force: boolean,
): PlannedFile[] {
  return files.map((file) => {
    const projectPath = `${experimentDir}/${file.path}`;
    const bytes = Buffer.byteLength(file.content, 'utf8');
    const current = existing(projectPath);
    if (current === null) return { ...file, projectPath, bytes, action: 'written' };
    if (current === file.content) return { ...file, projectPath, bytes, action: 'skipped' };
    if (!force) return { ...file, projectPath, bytes, action: 'conflict' };
    return { ...file, projectPath, bytes, action: 'backed-up', backup: backupName(projectPath, taken) };
  });
}

/** FILE.bak, or FILE.bak.1, FILE.bak.2 … when that is taken: a backup never replaces another. */
export function backupName(path: string, taken: (path: string) => boolean): string {
  if (!taken(`${path}.bak`)) return `${path}.bak`;
  for (let i = 1; ; i++) if (!taken(`${path}.bak.${i}`)) return `${path}.bak.${i}`;
}
