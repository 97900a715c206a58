/**
 * The scaffold's `results/SLUG/seed_N.json`: `history` (a list of per-epoch metric objects) when
 * present, then `final`, so the final value is the last and the best is searched over both. Pure.
 */
import { addValue, type MetricSeries } from './series.js';

function addNumbers(series: MetricSeries, values: unknown): void {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return;
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isFinite(v)) addValue(series, k, v);
  }
}

export function parseResultsJson(text: string): MetricSeries {
  const series: MetricSeries = {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return series;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return series;
  const record = data as Record<string, unknown>;
  // A --smoke result is not the run's outcome (collect skips it too).
  if (record.smoke === true) return series;
  if (Array.isArray(record.history)) for (const h of record.history) addNumbers(series, h);
  addNumbers(series, record.final);
  return series;
}
