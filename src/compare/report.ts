/**
 * The comparison of runs: the parameters that differ, final and best metrics per run, mean ± sample
 * std per configuration across seeds (as collect), the best configuration by the primary metric,
 * and each configuration against a baseline with Welch's t-test. Pure: the command reads the runs.
 */
import { ExitCode, ExpkitError } from '../core/errors.js';
import { metricDirection, specDirections, type Direction } from '../collect/direction.js';
import { summarize, type Summary } from '../collect/stats.js';
import type { RunMetrics } from '../metrics/series.js';
import { differingParams, paramsOf, type Params } from './params.js';
import { welch } from './ttest.js';

/** Fewer values than this per side make the test's p-value unreliable (said in a warning). */
export const MIN_N_FOR_TEST = 3;

export interface CompareRunInput {
  name: string;
  state: string;
  seed: number | null;
  command: readonly string[];
  /** The manifest's `params`, when a sweep recorded them. */
  params?: unknown;
  metrics: RunMetrics;
}

export interface CompareInput {
  runs: CompareRunInput[];
  /** `--metric` names, in order (the first is the primary metric). */
  metrics: string[];
  /** The spec's `metrics` and primary metric, when the runs belong to one. */
  specMetrics?: unknown;
  specPrimary?: unknown;
  /** A run name (one of runs) or a value. */
  baseline?: { run: string } | { value: number } | null;
}

export interface RunRow {
  name: string;
  state: string;
  seed: number | null;
  configuration: number;
  source: string | null;
  params: Params;
  final: Record<string, number | null>;
  best: Record<string, number | null>;
}

export interface BaselineTest {
  metric: string;
  baseline: number;
  /** mean - baseline mean (or value) */
  delta: number;
  t: number | null;
  df: number | null;
  p: number | null;
  n: number;
  baselineN: number | null;
  warning: string | null;
}

export interface ConfigurationRow {
  configuration: number;
  params: Params;
  runs: string[];
  /** Over the runs' final values. */
  metrics: Record<string, Summary | null>;
  vsBaseline: BaselineTest | null;
}

export interface CompareReport {
  schemaVersion: 1;
  metrics: string[];
  primaryMetric: string | null;
  directions: Record<string, Direction>;
  differingParams: string[];
  runs: RunRow[];
  configurations: ConfigurationRow[];
  best: { configuration: number; metric: string; mean: number; direction: Direction } | null;
  baseline: { run: string | null; value: number | null; configuration: number | null } | null;
  warnings: string[];
}

function commandWithoutSeed(argv: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') {
      i++;
      continue;
    }
    if (argv[i].startsWith('--seed=')) continue;
    out.push(argv[i]);
  }
  return JSON.stringify(out);
}

function availableMetrics(runs: readonly CompareRunInput[]): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of runs) for (const [k, v] of Object.entries(r.metrics.series)) if (v.length && !seen.has(k)) (seen.add(k), names.push(k));
  return names;
}

function bestOf(values: readonly number[], direction: Direction): number {
  let best = values[0];
  for (const v of values) if (direction === 'lower' ? v < best : v > best) best = v;
  return best;
}

export function buildCompare(input: CompareInput): CompareReport {
  const available = availableMetrics(input.runs);
  const missing = input.metrics.filter((m) => !available.includes(m));
  if (missing.length) {
    throw new ExpkitError(`no run has the metric ${missing.join(', ')}; metrics that exist: ${available.length ? available.join(', ') : 'none (no metrics.jsonl, results or matching log lines)'}`, {
      exitCode: ExitCode.Usage,
    });
  }
  const { order, directions: stated } = specDirections(input.specMetrics);
  const metrics = input.metrics.length ? [...input.metrics] : [...order.filter((m) => available.includes(m)), ...available.filter((m) => !order.includes(m))];
  const specPrimary = typeof input.specPrimary === 'string' && metrics.includes(input.specPrimary) ? input.specPrimary : null;
  const primary = input.metrics[0] ?? specPrimary ?? metrics[0] ?? null;
  const directions: Record<string, Direction> = Object.fromEntries(metrics.map((m) => [m, metricDirection(m, stated)]));

  const params = input.runs.map((r) => paramsOf({ command: r.command, params: r.params }));
  const commands = input.runs.map((r) => commandWithoutSeed(r.command));
  const { names: differing, byCommand } = differingParams(params, commands);
  const shown = input.runs.map((r, i): Params => (byCommand ? { command: r.command.join(' ') } : Object.fromEntries(differing.map((k) => [k, params[i][k] ?? '']))));

  // Runs with the same differing parameters are one configuration, repeated over seeds.
  const configKeys: string[] = [];
  const rows: RunRow[] = input.runs.map((r, i) => {
    const key = byCommand ? commands[i] : JSON.stringify(shown[i]);
    let configuration = configKeys.indexOf(key);
    if (configuration === -1) configuration = configKeys.push(key) - 1;
    const final: Record<string, number | null> = {};
    const best: Record<string, number | null> = {};
    for (const m of metrics) {
      const values = r.metrics.series[m] ?? [];
      final[m] = values.length ? values[values.length - 1] : null;
      best[m] = values.length ? bestOf(values, directions[m]) : null;
    }
    return { name: r.name, state: r.state, seed: r.seed, configuration, source: r.metrics.source, params: shown[i], final, best };
  });

  const configurations: ConfigurationRow[] = configKeys.map((_, c) => {
    const mine = rows.filter((r) => r.configuration === c);
    const summaries: Record<string, Summary | null> = {};
    for (const m of metrics) summaries[m] = summarize(mine.map((r) => r.final[m]).filter((v): v is number => v !== null));
    return { configuration: c, params: mine[0].params, runs: mine.map((r) => r.name), metrics: summaries, vsBaseline: null };
  });

  let best: CompareReport['best'] = null;
  if (primary) {
    for (const c of configurations) {
      const s = c.metrics[primary];
      if (!s) continue;
      const better = best === null || (directions[primary] === 'lower' ? s.mean < best.mean : s.mean > best.mean);
      if (better) best = { configuration: c.configuration, metric: primary, mean: s.mean, direction: directions[primary] };
    }
  }

  const warnings: string[] = [];
  let baseline: CompareReport['baseline'] = null;
  if (input.baseline && primary) {
    const b = input.baseline;
    const baseConfig = 'run' in b ? rows.find((r) => r.name === b.run)?.configuration ?? null : null;
    if ('run' in b && baseConfig === null) throw new ExpkitError(`baseline run ${b.run} is not among the runs compared`, { exitCode: ExitCode.Usage });
    baseline = { run: 'run' in b ? b.run : null, value: 'value' in b ? b.value : null, configuration: baseConfig };
    const baseSummary = baseConfig !== null ? configurations[baseConfig].metrics[primary] : null;
    if (baseConfig !== null && !baseSummary) warnings.push(`the baseline run ${baseline.run} has no ${primary}: nothing to compare against`);
    for (const c of configurations) {
      const s = c.metrics[primary];
      if (!s || c.configuration === baseConfig) continue;
      const against = 'value' in b ? b.value : baseSummary;
      if (against === null) continue;
      const test = welch(s, against);
      const baseMean = typeof against === 'number' ? against : against.mean;
      const baselineN = typeof against === 'number' ? null : against.n;
      const small = s.n < MIN_N_FOR_TEST || (baselineN !== null && baselineN < MIN_N_FOR_TEST);
      const warning = small ? `n=${s.n}${baselineN !== null ? ` vs ${baselineN}` : ''}: fewer than ${MIN_N_FOR_TEST} seeds, the p-value is unreliable` : null;
      c.vsBaseline = {
        metric: primary,
        baseline: baseMean,
        delta: s.mean - baseMean,
        t: Number.isFinite(test.t) ? test.t : null,
        df: Number.isFinite(test.df) ? test.df : null,
        p: test.p,
        n: s.n,
        baselineN,
        warning,
      };
      if (warning) warnings.push(`configuration ${c.configuration}: ${warning}`);
    }
  }
  return { schemaVersion: 1, metrics, primaryMetric: primary, directions, differingParams: byCommand ? ['command'] : differing, runs: rows, configurations, best, baseline, warnings };
}
