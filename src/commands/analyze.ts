/** `expkit analyze FILE|DIR…`: read, analyze, print. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeSource, type Analysis } from '../analyze/index.js';
import { isCandidate, rankEntryPoints } from '../analyze/project.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { lineText } from '../core/source-text.js';
import { readSourceFile, type SourceFile } from '../io/read-source.js';
import { isDirectory } from '../io/is-directory.js';
import { getPythonParser } from '../parser/index.js';
import { formatAnalysis, formatProject } from '../printers/analysis-human.js';

export interface AnalyzeOptions {
  json?: boolean;
}

const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'venv', '.venv', 'env', 'wandb', 'build', 'dist']);
/** Project mode reads at most this many Python files. */
const MAX_PROJECT_FILES = 5000;

export async function analyzeCommand(paths: string[], opts: AnalyzeOptions): Promise<number> {
  const single = paths.length === 1 && !isDirectory(paths[0]!);
  if (single) {
    const file = readSourceFile(paths[0]!);
    const parser = await getPythonParser();
    const analysis = analyzeSource(parser, file, paths[0]!);
    process.stdout.write(opts.json ? `${JSON.stringify(analysis, null, 2)}\n` : formatAnalysis(analysis, (l) => lineText(file, l).trim()));
    return ExitCode.Ok;
  }

  const files: string[] = [];
  for (const p of paths) {
    if (isDirectory(p)) files.push(...pythonFiles(p));
    else {
      readSourceFile(p); // explicit files must be readable: report bad input before any output
      files.push(p);
    }
  }
  const parser = await getPythonParser();
  const analyses: Analysis[] = [];
  for (const path of files) {
    let file: SourceFile;
    try {
      file = readSourceFile(path);
    } catch (err) {
      if (err instanceof ExpkitError) {
        process.stderr.write(`expkit: skipping ${err.message}\n`);
        continue;
      }
      throw err;
    }
    analyses.push(analyzeSource(parser, file, path));
  }
  const explicitFilesOnly = paths.every((p) => !isDirectory(p));
  const ranked = rankEntryPoints(explicitFilesOnly ? analyses : analyses.filter(isCandidate));
  process.stdout.write(opts.json ? `${JSON.stringify(ranked, null, 2)}\n` : formatProject(ranked.map((analysis) => ({ analysis })), paths.join(', ')));
  return ExitCode.Ok;
}


function pythonFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= MAX_PROJECT_FILES) return;
      if (e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(path);
      } else if (e.isFile() && e.name.endsWith('.py')) out.push(relative(process.cwd(), path) || path);
    }
  };
  walk(root);
  return out;
}
