/** `expkit compare RUN… | --sweep NAME [--metric NAME…] [--baseline RUN|VALUE] [--json]`. */
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { buildCompare, type CompareInput } from '../compare/report.js';
import { readSweepRecord } from '../launch/sweep/record.js';
import { specDirections } from '../collect/direction.js';
import { readRunMetrics } from '../metrics/read.js';
import { expkitHome, projectRoot, runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { viewRun } from '../launch/view.js';
import { compareText } from '../printers/compare.js';
import { findSpecPath, readSpec } from '../spec/frontmatter.js';

export interface CompareOptions {
  sweep?: string;
  metric?: string[];
  baseline?: string;
  json?: boolean;
}

/** A number is a baseline value; anything else names a run. */
function parseBaseline(b: string | undefined): CompareInput['baseline'] {
  if (b === undefined) return null;
  const v = Number(b);
  return b.trim() !== '' && Number.isFinite(v) ? { value: v } : { run: b };
}

export async function compareCommand(names: string[], opts: CompareOptions): Promise<number> {
  const root = projectRoot();
  if (opts.sweep !== undefined && names.length) throw new ExpkitError('give either runs or --sweep NAME, not both', { exitCode: ExitCode.Usage });
  // A sweep's current runs (its entries not started yet have none).
  const runNames = opts.sweep !== undefined ? readSweepRecord(expkitHome(root), opts.sweep).runs.flatMap((r) => (r.run ? [r.run] : [])) : [...names];
  const baseline = parseBaseline(opts.baseline);
  // The baseline run is compared with the others even when not listed.
  if (baseline && 'run' in baseline && !runNames.includes(baseline.run)) runNames.push(baseline.run);
  if (!runNames.length) throw new ExpkitError('nothing to compare: give run names or --sweep NAME', { exitCode: ExitCode.Usage });
  for (const n of runNames) assertValidName('run name', n);
  const runs = runsDir(root);
  const loaded = [...new Set(runNames)].map((n) => ({ name: n, ...loadRun(runs, n) }));

  // The spec of the first run launched by slug gives the primary metric and directions.
  const slug = loaded.find((r) => r.manifest.slug)?.manifest.slug ?? null;
  const specPath = slug ? findSpecPath(root, slug) : null;
  const spec = specPath ? readSpec(specPath).data : {};
  const metricFlags = opts.metric ?? [];
  const logNames = [...new Set([...metricFlags, ...specDirections(spec.metrics).order])];

  const inputs = await Promise.all(
    loaded.map(async (r) => {
      const view = await viewRun(r.dir, r.manifest);
      return {
        name: r.name,
        state: view.state,
        seed: r.manifest.seed,
        command: r.manifest.command,
        params: (r.manifest as unknown as { params?: unknown }).params,
        metrics: readRunMetrics(root, r.dir, r.manifest, logNames),
      };
    }),
  );
  const report = buildCompare({ runs: inputs, metrics: metricFlags, specMetrics: spec.metrics, specPrimary: spec.primary_metric ?? spec.primaryMetric, baseline });
  process.stdout.write(opts.json ? JSON.stringify({ ...report, sweep: opts.sweep ?? null }, null, 2) + '\n' : compareText(report));
  return ExitCode.Ok;
}
