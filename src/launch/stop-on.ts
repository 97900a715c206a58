/**
 * `launch --stop-on nan`: the run's wrapper watches its own log and stops the run at the first
 * non-finite loss, so nobody has to poll the log for divergence. Pure: returns bash lines.
 */
import { ExitCode, ExpkitError } from '../core/errors.js';
import { shQuote } from '../core/quote.js';
import { NON_FINITE_LOSS_ERE } from './non-finite-loss.js';
import { RUN_FILES } from './paths.js';

export type StopOn = 'nan';

export const STOP_ON_CHOICES: readonly StopOn[] = ['nan'];

export function parseStopOn(value: string | undefined): StopOn | null {
  if (value === undefined) return null;
  if ((STOP_ON_CHOICES as readonly string[]).includes(value)) return value as StopOn;
  throw new ExpkitError(`invalid --stop-on ${JSON.stringify(value)}: use ${STOP_ON_CHOICES.join(' or ')}`, { exitCode: ExitCode.Usage });
}

/** The wrapper's lines around the command: `start` before it runs, `end` after it returned. */
export interface WatcherLines {
  start: string[];
  end: string[];
}

/**
 * A background watcher: `tail -F` from the log's size at start (earlier attempts do not count)
 * into `grep -m1` with the same expression `status` uses. On a match it records the line
 * (stopped_on) and a stop request, then sends SIGTERM to the wrapper's process group, as
 * `expkit stop` does; the wrapper survives it and records the exit code. A sentinel `sleep`
 * ends `tail --pid` when the command has ended (or the group was killed), so nothing lingers.
 * Needs the wrapper's `d`, `record` and `stamp`.
 */
export function stopOnWatcher(stopOn: StopOn | null): WatcherLines {
  if (stopOn === null) return { start: [], end: [] };
  const f = RUN_FILES;
  return {
    start: [
      `# --stop-on ${stopOn}: stop the run at the first non-finite loss in its log.`,
      `stop_on_from=$(( $(wc -c < "$d/${f.log}" 2>/dev/null || echo 0) + 1 ))`,
      `sleep 2147483647 & stop_on_alive=$!`,
      `(`,
      `  line=$(tail -c "+$stop_on_from" -F --pid="$stop_on_alive" "$d/${f.log}" 2>/dev/null | grep -m1 -E -i -e ${shQuote(NON_FINITE_LOSS_ERE)})`,
      `  if [ -n "$line" ] && kill -0 "$stop_on_alive" 2>/dev/null; then`,
      `    record ${f.stoppedOn} "$line"`,
      `    record ${f.stopRequested} "$(stamp) --stop-on ${stopOn}"`,
      `    group=$(cut -d' ' -f5 "/proc/$$/stat" 2>/dev/null || ps -o pgid= -p "$$" | tr -d ' ')`,
      `    kill -TERM -- "-$group"`,
      `  fi`,
      `) &`,
    ],
    end: [`kill "$stop_on_alive" 2>/dev/null`],
  };
}
