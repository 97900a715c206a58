import { createReadStream, existsSync, statSync, readFileSync } from 'node:fs';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { sleep } from '../backends/proc.js';
import { TERMINAL_STATES } from '../launch/manifest.js';
import { runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { viewRun } from '../launch/view.js';
import { readLogSince } from '../launch/log-slice.js';
import { logLines, logsJson } from '../printers/logs.js';

function lastLines(text: string, n: number): string {
  const { lines } = logLines(text, n);
  return lines.map((line) => `${line}\n`).join('');
}

async function copyRange(path: string, start: number, end: number): Promise<void> {
  if (end <= start) return;
  await new Promise<void>((resolve, reject) => {
    const s = createReadStream(path, { start, end: end - 1 });
    s.on('error', reject);
    s.on('end', resolve);
    s.pipe(process.stdout, { end: false });
  });
}

/** `expkit logs RUN --since OFFSET --json` (docs/json-output.md): what the log gained since OFFSET. */
export async function logsSince(run: string, offset: number) {
  const { dir, manifest } = loadRun(runsDir(), run);
  // The state is read before the log: a run seen as ended has written all of its log already.
  const { state } = await viewRun(dir, manifest, false);
  const over = TERMINAL_STATES.includes(state);
  const slice = readLogSince(manifest.logPath, offset, over);
  return { schemaVersion: 1, text: slice.text, nextOffset: slice.nextOffset, ended: over && slice.nextOffset === slice.size, state };
}

/**
 * Print the log (all, or the last N lines); with -f keep printing until the run ends.
 * `lines` is parsed by the CLI. `--json` prints one object, so it cannot follow.
 */
export async function logsCommand(run: string, opts: { follow?: boolean; lines?: number; json?: boolean; since?: number }): Promise<number> {
  const n = opts.lines ?? null;
  if (opts.since !== undefined) {
    if (opts.follow || n !== null) throw new ExpkitError('--since reads from a byte offset and cannot be combined with --follow or -n', { exitCode: ExitCode.Usage, hint: `poll with \`expkit logs ${run} --since OFFSET\`, passing the next offset each time` });
    const slice = await logsSince(run, opts.since);
    if (opts.json) process.stdout.write(`${JSON.stringify(slice, null, 2)}\n`);
    else {
      process.stdout.write(slice.text);
      // stdout stays exactly the log's bytes; the offset to pass next goes to stderr.
      process.stderr.write(`next offset: ${slice.nextOffset}${slice.ended ? ` (run ${slice.state}, log complete)` : ''}\n`);
    }
    return ExitCode.Ok;
  }
  if (opts.json && opts.follow) {
    throw new ExpkitError('--json prints one object and cannot --follow', { exitCode: ExitCode.Usage, hint: `wait for the run with \`expkit wait ${run} --json\`, then read it with \`expkit logs ${run} --json\`` });
  }
  const { dir, manifest } = loadRun(runsDir(), run);
  const path = manifest.logPath;
  if (opts.json) {
    const { state } = await viewRun(dir, manifest, false);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    process.stdout.write(`${JSON.stringify(logsJson(manifest.name, state, path, text, n), null, 2)}\n`);
    return ExitCode.Ok;
  }
  const size = () => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  let offset = size();
  if (n === null) await copyRange(path, 0, offset);
  else process.stdout.write(lastLines(offset ? readFileSync(path, 'utf8') : '', n));
  if (!opts.follow) return ExitCode.Ok;
  for (;;) {
    const ended = TERMINAL_STATES.includes((await viewRun(dir, manifest, false)).state);
    const now = size();
    await copyRange(path, offset, now);
    offset = now;
    if (ended) return ExitCode.Ok;
    await sleep(300);
  }
}
