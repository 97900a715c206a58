/** What a sweep launch will start: the configurations, their runs, and which runs --resume restarts. Pure. */
import { ExitCode, ExpkitError } from '../../core/errors.js';
import { nameProblem } from '../../core/names.js';
import { planRuns, sweepConfigs, type PlannedRun } from './expand.js';
import { parseAxes, type GridAxis, type Params, type RangeAxis } from './params.js';
import type { SweepRunEntry } from './record.js';

/** Above this many runs a sweep is most likely a typo: it needs --yes. */
export const MAX_RUNS_WITHOUT_YES = 1000;

export interface SweepFlags {
  grid: readonly string[];
  ranges: readonly string[];
  sample: number | null;
  sampleSeed: number | null;
  seeds: readonly number[];
  yes: boolean;
}

export interface SweepPlan {
  grid: GridAxis[];
  ranges: RangeAxis[];
  sampleSeed: number | null;
  configs: Params[];
  runs: PlannedRun[];
}

function usage(message: string): ExpkitError {
  return new ExpkitError(message, { exitCode: ExitCode.Usage });
}

/** Checks and expands the sweep flags; `randomSeed` is used (and then recorded) when --sample-seed is not given. */
export function planSweep(name: string, f: SweepFlags, randomSeed: number): SweepPlan {
  const { grid, ranges } = parseAxes(f.grid, f.ranges);
  if (ranges.length && f.sample === null) throw usage('--range needs --sample N: the number of configurations to draw');
  if (f.sample !== null && !ranges.length) throw usage('--sample needs at least one --range KEY=DIST (uniform:LOW:HIGH, loguniform:LOW:HIGH, choice:A,B)');
  if (f.sampleSeed !== null && f.sample === null) throw usage('--sample-seed needs --sample');
  const sampleSeed = f.sample === null ? null : (f.sampleSeed ?? randomSeed);
  // Counted before expanding: a mistyped 10^6-run grid must not build a million names first.
  const configCount = grid.reduce((n, a) => n * a.values.length, 1) * (f.sample ?? 1);
  const runCount = configCount * Math.max(1, f.seeds.length);
  if (runCount > MAX_RUNS_WITHOUT_YES && !f.yes) {
    throw usage(`this sweep would start ${runCount} runs (more than ${MAX_RUNS_WITHOUT_YES}); pass --yes to launch them all`);
  }
  const configs = sweepConfigs(grid, ranges, f.sample, sampleSeed ?? 0);
  const runs = planRuns(name, configs, f.seeds);
  const problem = runs.map((r) => nameProblem(r.name)).find((p) => p !== null);
  if (problem) throw usage(`the sweep's run names would be invalid (${runs[0].name}…: ${problem}); choose a shorter --sweep NAME`);
  return { grid, ranges, sampleSeed, configs, runs };
}

export function entriesOf(runs: readonly PlannedRun[]): SweepRunEntry[] {
  return runs.map((r) => ({ config: r.config, seed: r.seed, params: r.params, run: null, previous: [] }));
}

/** States in which a run is kept on --resume: it succeeded, or it may still do so. */
const KEPT_STATES = new Set(['succeeded', 'running', 'queued', 'starting']);

/** The entries --resume starts again: never started, or whose run ended without success (or is gone). */
export function entriesToResume(entries: readonly SweepRunEntry[], stateOf: (run: string) => string | null): number[] {
  return entries.flatMap((e, i) => (e.run !== null && KEPT_STATES.has(stateOf(e.run) ?? 'missing') ? [] : [i]));
}
