/** Reading `results/SLUG/seed_N.json` (the scaffold's format) and per-seed logs. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedResult } from './report.js';

export interface ResultsRead {
  results: SeedResult[];
  /** Files that exist but could not be used, with why. */
  problems: { file: string; problem: string }[];
}

export function readSeedResults(root: string, slug: string): ResultsRead {
  const dir = join(root, 'results', slug);
  const out: ResultsRead = { results: [], problems: [] };
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^seed_-?\d+\.json$/.test(f));
  } catch {
    return out;
  }
  for (const file of files.sort()) {
    try {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const seed = typeof data.seed === 'number' ? data.seed : Number(/-?\d+/.exec(file)![0]);
      const final = data.final && typeof data.final === 'object' ? (data.final as Record<string, unknown>) : null;
      if (!final) {
        out.problems.push({ file, problem: 'no "final" metrics' });
        continue;
      }
      if (data.smoke === true) {
        out.problems.push({ file, problem: 'a --smoke result, not counted' });
        continue;
      }
      const numeric = Object.fromEntries(Object.entries(final).filter((e): e is [string, number] => typeof e[1] === 'number'));
      out.results.push({ seed, final: numeric });
    } catch (err) {
      out.problems.push({ file, problem: `unreadable: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  return out;
}

export function readSeedLog(root: string, slug: string, seed: number): string | null {
  try {
    return readFileSync(join(root, 'logs', slug, `seed_${seed}.log`), 'utf8');
  } catch {
    return null;
  }
}

/** A run's output.log, or null when it is missing or unreadable (a run killed before it started writing). */
export function readRunLog(logPath: string): string | null {
  try {
    return readFileSync(logPath, 'utf8');
  } catch {
    return null;
  }
}
