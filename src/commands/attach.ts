import { exec } from '../io/exec.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { backendFor } from '../backends/index.js';
import { TERMINAL_STATES } from '../launch/manifest.js';
import { runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { viewRun } from '../launch/view.js';
import { attachJson } from '../printers/attach.js';

/**
 * Attach the terminal to the run's tmux window or screen session. With `--json` there is no terminal
 * to hand over (stdout is being read): it prints the command that attaches instead, after the same checks.
 */
export async function attachCommand(run: string, opts: { json?: boolean } = {}): Promise<number> {
  const { dir, manifest } = loadRun(runsDir(), run);
  const argv = backendFor(manifest.backend).attachArgv(manifest);
  if (!argv) {
    throw new ExpkitError(`run ${run} runs on ${manifest.backend}, which has no terminal to attach to`, { exitCode: ExitCode.Usage, hint: `follow its output with: expkit logs ${run} -f` });
  }
  const v = await viewRun(dir, manifest, false);
  if (TERMINAL_STATES.includes(v.state)) {
    throw new ExpkitError(`run ${run} has ended (${v.state}); its ${manifest.backend} window is gone`, { exitCode: ExitCode.Failure, hint: `read its output with: expkit logs ${run}` });
  }
  const problem = (await backendFor(manifest.backend).attachProblem?.(manifest)) ?? null;
  if (problem) throw new ExpkitError(`cannot attach to ${run}: ${problem}`, { exitCode: ExitCode.Failure, hint: `follow its output with: expkit logs ${run} -f` });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(attachJson(manifest, v.state, argv), null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (!process.stdin.isTTY) throw new ExpkitError('attach needs a terminal (stdin is not a TTY)', { exitCode: ExitCode.Usage, hint: `use expkit logs ${run} -f instead` });
  const r = await exec(argv[0], argv.slice(1), { inherit: true });
  return r.exitCode === 0 ? ExitCode.Ok : ExitCode.Failure;
}
