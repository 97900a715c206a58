/**
 * The runs of a sweep, from its record `.expkit/sweeps/NAME/` (written by `launch --grid/--sample`).
 * Read defensively, assuming only this: some JSON file in that folder has a `runs` array whose
 * entries are run names or objects with a `name` (or `run`) field. Files are tried in a fixed
 * order (sweep.json, record.json, runs.json, then the rest by name); the first such array wins.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';

const PREFERRED = ['sweep.json', 'record.json', 'runs.json', 'manifest.json'];

/** Run names from one record's JSON, or null when it has no `runs` list. Pure. */
export function runNamesOf(data: unknown): string[] | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  const runs = (data as Record<string, unknown>).runs;
  if (!Array.isArray(runs)) return null;
  const names: string[] = [];
  for (const r of runs) {
    if (typeof r === 'string') names.push(r);
    else if (r && typeof r === 'object') {
      const n = (r as Record<string, unknown>).name ?? (r as Record<string, unknown>).run;
      if (typeof n === 'string') names.push(n);
    }
  }
  return names;
}

export function readSweepRuns(home: string, sweep: string): string[] {
  const dir = join(home, 'sweeps', sweep);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    throw new ExpkitError(`no sweep named ${sweep} (no ${dir})`, { exitCode: ExitCode.Usage, hint: 'expkit compare RUN… compares runs by name' });
  }
  const ordered = [...PREFERRED.filter((f) => files.includes(f)), ...files.filter((f) => !PREFERRED.includes(f)).sort()];
  for (const f of ordered) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch {
      continue;
    }
    const names = runNamesOf(data);
    if (names && names.length) return names;
  }
  throw new ExpkitError(`the record of sweep ${sweep} lists no runs (no JSON file in ${dir} with a "runs" list)`, { exitCode: ExitCode.Usage });
}
