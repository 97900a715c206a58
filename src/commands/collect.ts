import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { specSeeds } from '../core/seeds.js';
import { buildReport, type CrashedSeed } from '../collect/report.js';
import { readRunLog, readSeedLog, readSeedResults } from '../collect/results.js';
import { latestAttempt } from '../collect/attempts.js';
import { crashLine } from '../launch/anomalies.js';
import { projectRoot, runsDir } from '../launch/paths.js';
import { listRuns } from '../launch/registry.js';
import { appendSpecLogUnlessRepeated, endedWithoutResults, specStatus, updateSpec } from '../launch/spec-status.js';
import { viewRun, type RunView } from '../launch/view.js';
import { collectMarkdown } from '../printers/collect.js';
import { findSpecPath, readSpec } from '../spec/frontmatter.js';

function crashLineOf(log: string | null): string | null {
  return log === null ? null : crashLine(log);
}

function intList(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [];
}

export async function collectCommand(target: string, opts: { json?: boolean }): Promise<number> {
  const root = projectRoot();
  const runs = runsDir(root);
  assertValidName('slug or run name', target);
  const all = listRuns(runs);
  const asRun = all.find((r) => r.manifest.name === target);
  const slug = asRun ? asRun.manifest.slug : target;
  if (!slug) throw new ExpkitError(`run ${target} does not belong to an experiment (it was not launched by slug)`, { exitCode: ExitCode.Usage, hint: 'collect an experiment: expkit collect SLUG' });
  const mine = all.filter((r) => r.manifest.slug === slug);
  const views: RunView[] = await Promise.all(mine.map((r) => viewRun(r.dir, r.manifest)));
  const specPath = findSpecPath(root, slug);
  const spec = specPath ? readSpec(specPath).data : {};

  const active = views.filter((v) => v.state === 'running' || v.state === 'queued');
  if (active.length) {
    const progress = active.map((v) => `  ${v.name}: ${v.state}${v.progress ? `, ${v.progress}` : ''}`).join('\n');
    throw new ExpkitError(`experiment ${slug} is still running; collect it when it ends:\n${progress}`, { exitCode: ExitCode.Refused, hint: `expkit wait ${active[0].name}` });
  }
  const { results, diverged, problems } = readSeedResults(root, slug);
  if (!results.length && !mine.length && !problems.length && !existsSync(join(root, 'results', slug))) {
    throw new ExpkitError(`nothing to collect for ${slug}: no results/${slug}/seed_*.json and no runs`, { exitCode: ExitCode.Usage });
  }
  if (!results.length && !diverged.length && mine.length) {
    // Runs that all ended without a result (stopped, failed): the spec records how, not `completed`.
    const ended = endedWithoutResults(views.map((v) => v.state));
    // `completed` from status (every run succeeded) is wrong too when they left no results.
    if (specPath && ['running', 'completed'].includes(specStatus(specPath) ?? '')) {
      updateSpec(specPath, { status: ended });
      appendSpecLogUnlessRepeated(specPath, `${ended}: no results (runs ${views.map((v) => `${v.name} ${v.state}`).join(', ')})`);
    }
    throw new ExpkitError(`nothing to collect for ${slug}: no results/${slug}/seed_*.json; its runs ended ${[...new Set(views.map((v) => v.state))].join('/')}`, {
      exitCode: ExitCode.Usage,
      hint: specPath ? `the spec is now ${ended}: fix the cause and launch it again` : undefined,
    });
  }
  const expected = new Set<number>([...specSeeds(spec.seeds), ...results.map((r) => r.seed), ...diverged]);
  for (const { manifest } of mine) {
    if (manifest.seed !== null) expected.add(manifest.seed);
    for (const s of intList(manifest.seeds)) expected.add(s);
  }
  const haveResult = new Set([...results.map((r) => r.seed), ...diverged]);
  const crashed: CrashedSeed[] = [];
  for (const seed of [...expected].sort((a, b) => a - b)) {
    if (haveResult.has(seed)) continue;
    const run = views.find((v) => v.seed === seed) ?? null;
    const seedLog = readSeedLog(root, slug, seed);
    const line = (seedLog !== null ? crashLine(latestAttempt(seedLog)) : null) ?? (run ? crashLineOf(readRunLog(run.logPath)) : null);
    if (line !== null || (run && run.state !== 'succeeded')) crashed.push({ seed, run: run?.name ?? null, line });
  }
  const report = buildReport({ slug, results, expectedSeeds: [...expected], crashed, diverged, specMetrics: spec.metrics, baseline: spec.baseline, primaryMetric: spec.primary_metric ?? spec.primaryMetric });

  let specUpdated = false;
  if (specPath) {
    const now = new Date();
    updateSpec(specPath, { status: 'completed', completed: now.toISOString(), outcome: report.outcome, result: report.keyResult ?? report.reason });
    appendSpecLogUnlessRepeated(specPath, `collected: ${report.outcome}${report.keyResult ? `, ${report.keyResult}` : ''} (${report.reason})`, now);
    specUpdated = true;
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, ...report, problems, runs: views.map((v) => ({ name: v.name, seed: v.seed, state: v.state, exitCode: v.exitCode })), specPath: specPath ? relative(root, specPath) : null, specUpdated, specStatus: specPath ? specStatus(specPath) : null }, null, 2) + '\n');
  } else {
    let text = collectMarkdown(report);
    for (const p of problems) text += `Skipped results/${slug}/${p.file}: ${p.problem}\n`;
    if (specUpdated) text += `\nUpdated ${relative(root, specPath!)}: status completed, outcome ${report.outcome}\n`;
    process.stdout.write(text);
  }
  return ExitCode.Ok;
}
