/** Reading a run's metric sources from disk (the I/O edge of src/metrics). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../launch/manifest.js';
import { pickMetrics } from './pick.js';
import type { RunMetrics } from './series.js';

export const METRICS_FILE = 'metrics.jsonl';

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function readRunMetrics(root: string, runDir: string, manifest: Manifest, logNames: readonly string[]): RunMetrics {
  const results = manifest.slug && manifest.seed !== null ? readOrNull(join(root, 'results', manifest.slug, `seed_${manifest.seed}.json`)) : null;
  // The log is read only when the other two have nothing: it can be large.
  const jsonl = readOrNull(join(runDir, METRICS_FILE));
  const first = pickMetrics({ jsonl, results, log: null }, logNames);
  if (first.source) return first;
  return pickMetrics({ jsonl: null, results: null, log: readOrNull(manifest.logPath) }, logNames);
}
