/** Reading `results/SLUG/seed_N.json` (the scaffold's format) and per-seed logs. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedResult } from './report.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { isValidSeed, SEED_RANGE_TEXT } from '../core/seeds.js';

export interface ResultsRead {
  results: SeedResult[];
  /** Seeds whose run stopped at a non-finite loss (`diverged: true`, or a null/NaN final metric). */
  diverged: number[];
  /** Files that exist but could not be used, with why. */
  problems: { file: string; problem: string }[];
}

export function readSeedResults(root: string, slug: string): ResultsRead {
  const dir = join(root, 'results', slug);
  const out: ResultsRead = { results: [], diverged: [], problems: [] };
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^seed_-?\d+\.json$/.test(f));
  } catch {
    return out;
  }
  for (const file of files.sort()) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      out.problems.push({ file, problem: `unreadable: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      out.problems.push({ file, problem: 'not a JSON object' });
      continue;
    }
    const record = data as Record<string, unknown>;
    const seed = 'seed' in record ? record.seed : Number(/-?\d+/.exec(file)![0]);
    // A seed that is not an exact integer (15.5, 1e300) would be averaged under a wrong name.
    if (!isValidSeed(seed)) {
      throw new ExpkitError(`invalid seed ${JSON.stringify(seed)} in results/${slug}/${file}: a seed is ${SEED_RANGE_TEXT}`, { exitCode: ExitCode.Usage });
    }
    const final = record.final && typeof record.final === 'object' ? (record.final as Record<string, unknown>) : null;
    if (!final) {
      out.problems.push({ file, problem: 'no "final" metrics' });
    } else if (record.smoke === true) {
      out.problems.push({ file, problem: 'a --smoke result, not counted' });
    } else if (record.diverged === true || Object.values(final).some((v) => v === null)) {
      out.diverged.push(seed);
    } else {
      out.results.push({ seed, final: Object.fromEntries(Object.entries(final).filter((e): e is [string, number] => typeof e[1] === 'number')) });
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
