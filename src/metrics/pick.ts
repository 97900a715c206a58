/** One source per run: the first that has data, in the documented order. Pure. */
import { parseMetricsJsonl } from './jsonl.js';
import { parseLogMetrics } from './log.js';
import { parseResultsJson } from './results-json.js';
import { hasData, type RunMetrics } from './series.js';

export interface MetricTexts {
  /** metrics.jsonl in the run folder, or null when missing. */
  jsonl: string | null;
  /** results/SLUG/seed_N.json for a run launched by slug, or null. */
  results: string | null;
  /** output.log, or null. */
  log: string | null;
}

export function pickMetrics(texts: MetricTexts, logNames: readonly string[]): RunMetrics {
  if (texts.jsonl !== null) {
    const { series } = parseMetricsJsonl(texts.jsonl);
    if (hasData(series)) return { source: 'metrics.jsonl', series };
  }
  if (texts.results !== null) {
    const series = parseResultsJson(texts.results);
    if (hasData(series)) return { source: 'results', series };
  }
  if (texts.log !== null && logNames.length) {
    const series = parseLogMetrics(texts.log, logNames);
    if (hasData(series)) return { source: 'log', series };
  }
  return { source: null, series: {} };
}
