/**
 * Metrics of a plain script that records them nowhere else: each value of a named metric printed in
 * its log as `NAME: value`, `NAME=value` or `NAME value` (also `'NAME': value` in a printed dict).
 * Only names asked for are searched: any word followed by a number would be noise. Pure.
 */
import { escapeRegExp } from '../core/regexp.js';
import { addValue, type MetricSeries } from './series.js';

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;

function metricPattern(name: string): RegExp {
  // Not part of a longer name (`best_val_acc` is not `val_acc`), and not followed by more of one.
  return new RegExp(String.raw`(?<![\w.\-/])${escapeRegExp(name)}['"]?(?:\s*[:=]\s*|\s+)(${NUMBER})(?![\w.])`, 'g');
}

export function parseLogMetrics(text: string, names: readonly string[]): MetricSeries {
  const series: MetricSeries = {};
  for (const name of names) {
    const re = metricPattern(name);
    for (const m of text.matchAll(re)) {
      const v = Number(m[1]);
      if (Number.isFinite(v)) addValue(series, name, v);
    }
  }
  return series;
}
