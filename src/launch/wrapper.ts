/**
 * The small bash wrapper every backend runs: it marks itself as the run's, takes the launcher's
 * environment, waits for `--after`, runs the command with its output appended to `output.log`,
 * and records start time, end time and exit code in files (then in manifest.json), so the outcome
 * is known after the backend forgets the run. Pure: returns the script text.
 */
import { shJoin, shQuote } from '../core/quote.js';
import { RUN_ID_VAR } from './identity.js';
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
  /** The run's marker (EXPKIT_RUN_ID); null for a record without one. */
  runId?: string | null;
  /**
   * Start from an empty environment and source the launcher's from `launch.env` (local backends:
   * a tmux or screen server would otherwise hand the run its own, from whoever started it).
   */
  envFromFile?: boolean;
  /** How to run `expkit status RUN` when the command ends, to copy the outcome into manifest.json. */
  recorder?: { node: string; cli: string; home: string } | null;
}

/**
 * Put the run's marker into the wrapper's own environment (visible in /proc/PID/environ, and
 * inherited by everything it starts) by executing itself again; the PID and start time stay.
 */
function markerLines(o: WrapperOptions): string[] {
  if (!o.runId) return [];
  const id = shQuote(o.runId);
  const again = o.envFromFile ? `exec env -i ${RUN_ID_VAR}=${id} "$BASH" "$0"` : `${RUN_ID_VAR}=${id} exec "$BASH" "$0"`;
  return [`if [ "\${${RUN_ID_VAR}-}" != ${id} ]; then ${again}; fi`];
}

/** Record the start time beside the PID: `stop` compares it with /proc before it signals. */
function pidLines(): string[] {
  const f = RUN_FILES;
  return [
    `boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null); stat=$(cat /proc/$$/stat 2>/dev/null); stat=\${stat##*) }`,
    `set -f; set -- $stat; set +f`,
    `record ${f.pidStart} "\${20-} $boot"`,
    `record ${f.pid} "$$"`,
  ];
}

/**
 * `stop`, or the clean-up of a launch that died, may come before the wrapper: each writes its
 * file before it looks for `pid`, and the wrapper looks for theirs after writing `pid`, so one of
 * the two always sees the other, and the command never starts behind a stop.
 */
function startGuardLines(): string[] {
  const f = RUN_FILES;
  return [
    `if [ -e "$d/${f.abandoned}" ]; then rm -f "$d/${f.envFile}"; record ${f.notStarted} "$(cat "$d/${f.abandoned}")"; finish 1; fi`,
    `if [ -e "$d/${f.stopRequested}" ]; then rm -f "$d/${f.envFile}"; finish 143; fi`,
  ];
}

/** The launcher's environment, passed in a file (no size limit, never on a command line). */
function envFileLines(o: WrapperOptions): string[] {
  if (!o.envFromFile) return [];
  const f = RUN_FILES;
  return [
    `if [ -f "$d/${f.envFile}" ]; then . "$d/${f.envFile}"; rm -f "$d/${f.envFile}"`,
    `else echo "expkit: the run's environment file ${f.envFile} is missing; not starting" >> "$d/${f.log}"; finish 1; fi`,
  ];
}

/** `finish CODE`: record the end, copy the outcome into manifest.json, exit. */
function finishLines(o: WrapperOptions): string[] {
  const f = RUN_FILES;
  const r = o.recorder;
  const recordManifest = r ? `EXPKIT_HOME=${shQuote(r.home)} ${shQuote(r.node)} ${shQuote(r.cli)} status ${shQuote(o.runName)} --json >/dev/null 2>&1 </dev/null; ` : '';
  return [`finish() { record ${f.endedAt} "$(stamp)"; record ${f.exitCode} "$1"; ${recordManifest}exit "$1"; }`];
}

export function wrapperScript(o: WrapperOptions): string {
  const f = RUN_FILES;
  const lines = [
    '#!/bin/bash',
    `# expkit wrapper for run ${o.runName}: records output, start/end time and exit code.`,
    ...markerLines(o),
    `d=${shQuote(o.runDir)}`,
    `record() { printf '%s\\n' "$2" > "$d/$1.tmp" && mv -f "$d/$1.tmp" "$d/$1"; }`,
    `stamp() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }`,
    ...finishLines(o),
    // A requeued SLURM job starts again: forget the previous attempt's outcome.
    `rm -f "$d/${f.exitCode}" "$d/${f.endedAt}" "$d/${f.notStarted}"`,
    ...pidLines(),
    ...startGuardLines(),
    ...envFileLines(o),
    // Stop signals reach the whole group; the wrapper survives them to record the exit code.
    `trap 'stopping=1' TERM INT HUP`,
  ];
  if (o.after) {
    const a = shQuote(o.after.dir);
    const an = o.after.name;
    lines.push(
      `while [ ! -f ${a}/${f.exitCode} ]; do`,
      `  if [ -n "$stopping" ]; then record ${f.notStarted} ${shQuote(`stopped while waiting for ${an}`)}; finish 143; fi`,
      `  sleep 0.5`,
      `done`,
      `after_code=$(cat ${a}/${f.exitCode})`,
      `if [ "$after_code" != 0 ]; then`,
      `  record ${f.notStarted} "not started: ${an.replace(/"/g, '')} ended with exit code $after_code"`,
      `  finish 1`,
      `fi`,
    );
  }
  lines.push(`cd ${shQuote(o.cwd)} || { echo "expkit: cannot enter ${o.cwd.replace(/["$`\\]/g, '')}" >> "$d/${f.log}"; finish 1; }`);
  lines.push('export PYTHONUNBUFFERED=1');
  // Where any script may append its metrics (metrics.jsonl): `compare` reads them with no server.
  lines.push('export EXPKIT_RUN_DIR="$d"');
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
  lines.push('finish "$code"', '');
  return lines.join('\n');
}
