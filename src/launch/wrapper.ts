/**
 * The small bash wrapper every backend runs: it waits for `--after`, runs the command with its
 * output appended to `output.log`, and records start time, end time and exit code in files, so
 * the outcome is known after the backend forgets the run. Pure: returns the script text.
 */
import { shJoin, shQuote } from '../core/quote.js';
import { RUN_FILES } from './paths.js';
import { stopOnWatcher, type StopOn } from './stop-on.js';

export interface WrapperOptions {
  runName: string;
  runDir: string;
  cwd: string;
  argv: readonly string[];
  /** Variables the command gets (values are quoted; never put secrets here). */
  env: Record<string, string | null>;
  /** Also copy output to the terminal (tmux, screen) so `attach` shows it live. */
  tee: boolean;
  /** Run folder and name of the run that must succeed first. */
  after?: { name: string; dir: string } | null;
  /** `--stop-on`: what makes the wrapper stop the run by itself. */
  stopOn?: StopOn | null;
}

export function wrapperScript(o: WrapperOptions): string {
  const f = RUN_FILES;
  const lines = [
    '#!/bin/bash',
    `# expkit wrapper for run ${o.runName}: records output, start/end time and exit code.`,
    `d=${shQuote(o.runDir)}`,
    `record() { printf '%s\\n' "$2" > "$d/$1.tmp" && mv -f "$d/$1.tmp" "$d/$1"; }`,
    `stamp() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }`,
    // A requeued SLURM job starts again: forget the previous attempt's outcome.
    `rm -f "$d/${f.exitCode}" "$d/${f.endedAt}" "$d/${f.notStarted}"`,
    `record ${f.pid} "$$"`,
    // Stop signals reach the whole group; the wrapper survives them to record the exit code.
    `trap 'stopping=1' TERM INT HUP`,
  ];
  if (o.after) {
    const a = shQuote(o.after.dir);
    const an = o.after.name;
    lines.push(
      `while [ ! -f ${a}/${f.exitCode} ]; do`,
      `  if [ -n "$stopping" ]; then record ${f.notStarted} ${shQuote(`stopped while waiting for ${an}`)}; record ${f.endedAt} "$(stamp)"; record ${f.exitCode} 143; exit 143; fi`,
      `  sleep 0.5`,
      `done`,
      `after_code=$(cat ${a}/${f.exitCode})`,
      `if [ "$after_code" != 0 ]; then`,
      `  record ${f.notStarted} "not started: ${an.replace(/"/g, '')} ended with exit code $after_code"`,
      `  record ${f.endedAt} "$(stamp)"; record ${f.exitCode} 1; exit 1`,
      `fi`,
    );
  }
  lines.push(`cd ${shQuote(o.cwd)} || { echo "expkit: cannot enter ${o.cwd.replace(/["$`\\]/g, '')}" >> "$d/${f.log}"; record ${f.endedAt} "$(stamp)"; record ${f.exitCode} 1; exit 1; }`);
  lines.push('export PYTHONUNBUFFERED=1');
  for (const [k, v] of Object.entries(o.env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) continue;
    lines.push(v === null ? `unset ${k}` : `export ${k}=${shQuote(v)}`);
  }
  lines.push(`record ${f.startedAt} "$(stamp)"`);
  const watcher = stopOnWatcher(o.stopOn ?? null);
  lines.push(...watcher.start);
  if (o.tee) {
    lines.push(`${shJoin(o.argv)} 2>&1 | tee -a "$d/${f.log}"`, 'code=${PIPESTATUS[0]}');
  } else {
    lines.push(`${shJoin(o.argv)} >> "$d/${f.log}" 2>&1`, 'code=$?');
  }
  lines.push(...watcher.end);
  lines.push(`record ${f.endedAt} "$(stamp)"`, `record ${f.exitCode} "$code"`, 'exit "$code"', '');
  return lines.join('\n');
}
