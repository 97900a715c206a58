import { createReadStream, statSync, readFileSync } from 'node:fs';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { sleep } from '../backends/proc.js';
import { TERMINAL_STATES } from '../launch/manifest.js';
import { runsDir } from '../launch/paths.js';
import { loadRun } from '../launch/registry.js';
import { viewRun } from '../launch/view.js';

function lastLines(text: string, n: number): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-n).join('\n') + (lines.length ? '\n' : '');
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

/** Print the log (all, or the last N lines); with -f keep printing until the run ends. */
export async function logsCommand(run: string, opts: { follow?: boolean; lines?: string }): Promise<number> {
  const n = opts.lines === undefined ? null : Number(opts.lines);
  if (n !== null && !(Number.isInteger(n) && n >= 0)) throw new ExpkitError(`invalid -n ${JSON.stringify(opts.lines)}: give a number of lines`, { exitCode: ExitCode.Usage });
  const { dir, manifest } = loadRun(runsDir(), run);
  const path = manifest.logPath;
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
