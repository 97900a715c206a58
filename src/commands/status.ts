import { ExitCode } from '../core/errors.js';
import { runsDir } from '../launch/paths.js';
import { listRuns, loadRun } from '../launch/registry.js';
import { settleSpecs } from '../launch/spec-status.js';
import { viewRun } from '../launch/view.js';
import { statusDetail, statusJson, statusTable } from '../printers/status.js';

export async function statusCommand(run: string | undefined, opts: { json?: boolean }): Promise<number> {
  const runs = runsDir();
  if (run) {
    const { dir, manifest } = loadRun(runs, run);
    const v = await viewRun(dir, manifest);
    await settleSpecs([v]);
    process.stdout.write(opts.json ? JSON.stringify(statusJson(v), null, 2) + '\n' : statusDetail(v));
    return ExitCode.Ok;
  }
  const views = await Promise.all(listRuns(runs).map(({ dir, manifest }) => viewRun(dir, manifest)));
  await settleSpecs(views);
  process.stdout.write(opts.json ? JSON.stringify({ schemaVersion: 1, runs: views.map(statusJson) }, null, 2) + '\n' : statusTable(views));
  return ExitCode.Ok;
}

/** `expkit list`: every run with its state, without reading logs. */
export async function listCommand(opts: { json?: boolean }): Promise<number> {
  const views = await Promise.all(listRuns(runsDir()).map(({ dir, manifest }) => viewRun(dir, manifest, false)));
  if (opts.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, runs: views.map((v) => ({ name: v.name, backend: v.backend, state: v.state, exitCode: v.exitCode, startedAt: v.startedAt, slug: v.slug, seed: v.seed, logPath: v.logPath })) }, null, 2) + '\n');
  } else {
    process.stdout.write(statusTable(views));
  }
  return ExitCode.Ok;
}
