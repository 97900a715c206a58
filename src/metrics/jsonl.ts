/**
 * `$EXPKIT_RUN_DIR/metrics.jsonl`: one JSON object per line, `{"step": 10, "time": …, "loss": 0.3}`.
 * Every numeric field other than `step` and `time` is a metric; non-numeric fields are ignored.
 * Pure.
 */
import { addValue, type MetricSeries } from './series.js';

/** Fields that locate a line rather than measure the run. */
const NOT_METRICS = new Set(['step', 'time', '_step', '_time', '_timestamp', '_runtime']);

/**
 * Python's json.dumps writes NaN and ±Infinity, which JSON.parse refuses: a diverged run's line
 * would otherwise be lost with its other values. They become null (not a value) outside strings.
 */
function pythonJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return JSON.parse(line.replace(/("(?:[^"\\]|\\.)*")|-?\b(?:NaN|Infinity)\b/g, (m, str: string | undefined) => str ?? 'null'));
  }
}

export interface JsonlRead {
  series: MetricSeries;
  /** Lines that are not JSON objects (a run killed mid-write leaves half a last line). */
  skipped: number;
}

export function parseMetricsJsonl(text: string): JsonlRead {
  const series: MetricSeries = {};
  let skipped = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    let record: unknown;
    try {
      record = pythonJson(line);
    } catch {
      skipped++;
      continue;
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      skipped++;
      continue;
    }
    for (const [k, v] of Object.entries(record as Record<string, unknown>)) {
      if (!NOT_METRICS.has(k) && typeof v === 'number' && Number.isFinite(v)) addValue(series, k, v);
    }
  }
  return { series, skipped };
}
