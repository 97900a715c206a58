/**
 * A run's metrics as series: every value each metric took, in order. Final = the last, best = the
 * extreme in the metric's direction. Pure.
 */
export type MetricSeries = Record<string, number[]>;

/** Where a run's metrics came from, in the order they are looked for. */
export type MetricSource = 'metrics.jsonl' | 'results' | 'log';

export interface RunMetrics {
  source: MetricSource | null;
  series: MetricSeries;
}

export function addValue(series: MetricSeries, name: string, value: number): void {
  (series[name] ??= []).push(value);
}

export function hasData(series: MetricSeries): boolean {
  return Object.values(series).some((v) => v.length > 0);
}
