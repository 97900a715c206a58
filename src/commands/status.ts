import { ExitCode } from '../core/errors.js';
import { runsDir } from '../launch/paths.js';
import { listRunEntries, loadRunEntry } from '../launch/registry.js';
import { settleSpecs } from '../launch/spec-status.js';
import { viewEntry } from '../launch/view.js';
import { statusDetail, statusJson, statusTable } from '../printers/status.js';

export async function statusCommand(run: string | undefined, opts: { json?: boolean }): Promise<number> {
  const runs = runsDir();
  if (run) {
    const v = await viewEntry(loadRunEntry(runs, run));
    await settleSpecs([v]);
    process.stdout.write(opts.json ? JSON.stringify(statusJson(v), null, 2) + '\n' : statusDetail(v));
    return ExitCode.Ok;
  }
  // One unreadable run folder is shown as `corrupt`; the others are unaffected.
  const views = await Promise.all(listRunEntries(runs).map((e) => viewEntry(e)));
  await settleSpecs(views);
  process.stdout.write(opts.json ? JSON.stringify({ schemaVersion: 1, runs: views.map(statusJson) }, null, 2) + '\n' : statusTable(views));
  return ExitCode.Ok;
}

/** `expkit list`: every run with its state, without reading logs. */
export async function listCommand(opts: { json?: boolean }): Promise<number> {
  const views = await Promise.all(listRunEntries(runsDir()).map((e) => viewEntry(e, false)));
  if (opts.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, runs: views.map((v) => ({ name: v.name, backend: v.backend, state: v.state, reason: v.reason, exitCode: v.exitCode, startedAt: v.startedAt, slug: v.slug, seed: v.seed, logPath: v.logPath })) }, null, 2) + '\n');
  } else {
    process.stdout.write(statusTable(views));
  }
  return ExitCode.Ok;
}
