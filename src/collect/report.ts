/**
 * The collect report: per-metric mean ± std across seeds, the delta against the baseline, and an
 * outcome. Pure: the command module reads the files.
 */
import { summarize, type Summary } from './stats.js';
import { metricDirection, specDirections, type Direction } from './direction.js';

export type Outcome = 'succeeded' | 'failed' | 'inconclusive';

export interface SeedResult {
  seed: number;
  final: Record<string, number>;
}

export interface MetricReport extends Summary {
  metric: string;
  direction: Direction;
  baseline: number | null;
  /** mean - baseline */
  delta: number | null;
  improved: boolean | null;
}

export interface CrashedSeed {
  seed: number;
  run: string | null;
  line: string | null;
}

export interface CollectReport {
  slug: string;
  n: number;
  seeds: number[];
  metrics: MetricReport[];
  primaryMetric: string | null;
  missingSeeds: number[];
  crashedSeeds: CrashedSeed[];
  /** Seeds whose training stopped at a non-finite loss (their metrics are not averaged). */
  divergedSeeds: number[];
  outcome: Outcome;
  reason: string;
  keyResult: string | null;
}

export interface ReportInput {
  slug: string;
  results: SeedResult[];
  /** Seeds that should have results (launched or listed in the spec). */
  expectedSeeds: number[];
  crashed: CrashedSeed[];
  /** Seeds whose results say they diverged. */
  diverged?: number[];
  specMetrics?: unknown;
  baseline?: unknown;
  primaryMetric?: unknown;
}

function baselineFor(baseline: unknown, metric: string, primary: string | null): number | null {
  if (typeof baseline === 'number') return metric === primary ? baseline : null;
  if (baseline && typeof baseline === 'object') {
    const v = (baseline as Record<string, unknown>)[metric];
    return typeof v === 'number' ? v : null;
  }
  return null;
}

export function buildReport(input: ReportInput): CollectReport {
  const { order, directions } = specDirections(input.specMetrics);
  const names: string[] = [];
  for (const r of input.results) for (const k of Object.keys(r.final)) if (!names.includes(k)) names.push(k);
  names.sort((a, b) => (order.indexOf(a) === -1 ? 1e9 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 1e9 : order.indexOf(b)));
  const primary =
    (typeof input.primaryMetric === 'string' && names.includes(input.primaryMetric) ? input.primaryMetric : null) ??
    order.find((m) => names.includes(m)) ??
    (input.baseline && typeof input.baseline === 'object' ? Object.keys(input.baseline).find((m) => names.includes(m)) : undefined) ??
    names[0] ??
    null;
  const metrics: MetricReport[] = [];
  for (const metric of names) {
    const s = summarize(input.results.map((r) => r.final[metric]).filter((v): v is number => typeof v === 'number'));
    if (!s) continue;
    const direction = metricDirection(metric, directions);
    const baseline = baselineFor(input.baseline, metric, primary);
    const delta = baseline === null ? null : s.mean - baseline;
    const improved = delta === null ? null : direction === 'lower' ? delta < 0 : delta > 0;
    metrics.push({ metric, direction, ...s, baseline, delta, improved });
  }
  const seeds = input.results.map((r) => r.seed).sort((a, b) => a - b);
  const divergedSeeds = [...new Set(input.diverged ?? [])].sort((a, b) => a - b);
  // Sets: a search per seed is quadratic, hours for 150,000 seeds.
  const haveSeed = new Set(seeds);
  const diverged = new Set(divergedSeeds);
  const missingSeeds = input.expectedSeeds.filter((s) => !haveSeed.has(s) && !diverged.has(s)).sort((a, b) => a - b);
  const main = metrics.find((m) => m.metric === primary) ?? null;
  let outcome: Outcome;
  let reason: string;
  if (seeds.length < 2) {
    outcome = 'inconclusive';
    reason = `only ${seeds.length} seed${seeds.length === 1 ? '' : 's'} with results (need at least 2)${divergedSeeds.length ? `; ${divergedSeeds.length} diverged (non-finite loss)` : ''}`;
  } else if (!main) {
    outcome = 'inconclusive';
    reason = 'no metric in the results';
  } else if (main.delta === null) {
    outcome = 'inconclusive';
    reason = `no baseline for ${main.metric} in the spec to compare against`;
  } else if (Math.abs(main.delta) <= main.std) {
    outcome = 'inconclusive';
    reason = `the spread across seeds (std ${round(main.std)}) is larger than the difference to the baseline (${signed(main.delta)})`;
  } else if (main.improved) {
    outcome = 'succeeded';
    reason = `${main.metric} ${main.direction === 'lower' ? 'fell' : 'rose'} by ${round(Math.abs(main.delta))} against the baseline ${main.baseline}, more than the spread (std ${round(main.std)})`;
  } else {
    outcome = 'failed';
    reason = `${main.metric} is worse than the baseline ${main.baseline} by ${round(Math.abs(main.delta))}, more than the spread (std ${round(main.std)})`;
  }
  const keyResult = main ? `${main.metric} = ${round(main.mean)} ± ${round(main.std)} (n=${main.n})${main.delta !== null ? `, ${signed(main.delta)} vs baseline ${main.baseline}` : ''}` : null;
  return { slug: input.slug, n: seeds.length, seeds, metrics, primaryMetric: primary, missingSeeds, crashedSeeds: input.crashed, divergedSeeds, outcome, reason, keyResult };
}

function round(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '-'}${round(Math.abs(x))}`;
}
