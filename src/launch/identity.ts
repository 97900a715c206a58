/**
 * Is the process at PID still the run's own? A PID is reused once its process is gone, and another
 * run's wrapper has the same command line, so the command line proves nothing. Two proofs are
 * recorded instead: the run's marker in its environment (`EXPKIT_RUN_ID`, which the wrapper puts in
 * its own environment before anything else) and the process start time (field 22 of
 * /proc/PID/stat, in clock ticks since boot, with the boot id). Pure: the /proc reads are in
 * backends/proc.ts.
 */

/** The environment variable that marks every process of a run. */
export const RUN_ID_VAR = 'EXPKIT_RUN_ID';

/** What identifies one process across PID reuse. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/PID/stat; null where /proc cannot tell. */
  startTime: string | null;
  bootId: string | null;
}

/** What /proc says about a PID now. */
export interface ObservedProcess {
  /** Running (not a zombie). */
  alive: boolean;
  startTime: string | null;
  bootId: string | null;
  /** The run marker in /proc/PID/environ: a string, null when it has none, undefined when unreadable. */
  runId: string | null | undefined;
}

export interface ExpectedProcess {
  runId: string | null;
  startTime: string | null;
  bootId: string | null;
}

export type Verdict = { kind: 'ours' } | { kind: 'gone' } | { kind: 'other'; reason: string };

/** The start time (field 22) from the text of /proc/PID/stat; the command name may hold spaces and parentheses. */
export function parseStartTime(statText: string): string | null {
  const rest = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  const field = rest[22 - 3];
  return field !== undefined && /^\d+$/.test(field) ? field : null;
}

/** The value of NAME in the NUL-separated text of /proc/PID/environ, or null. */
export function environValue(environ: string, name: string): string | null {
  const prefix = `${name}=`;
  const entry = environ.split('\0').find((e) => e.startsWith(prefix));
  return entry === undefined ? null : entry.slice(prefix.length);
}

/**
 * `ours` only with a positive proof and no contradiction: a different boot, start time or marker
 * means the PID now belongs to another process. Without any proof (no marker readable, no start
 * time recorded) the answer is `other`: expkit never signals a process it cannot identify.
 */
export function judgeProcess(expected: ExpectedProcess, seen: ObservedProcess): Verdict {
  if (!seen.alive) return { kind: 'gone' };
  if (expected.bootId && seen.bootId && expected.bootId !== seen.bootId) return { kind: 'other', reason: 'the machine rebooted since the run started' };
  const timeKnown = expected.startTime !== null && seen.startTime !== null;
  if (timeKnown && expected.startTime !== seen.startTime) return { kind: 'other', reason: 'another process started with the same PID' };
  if (expected.runId !== null && seen.runId !== undefined) {
    return seen.runId === expected.runId ? { kind: 'ours' } : { kind: 'other', reason: "the process with that PID does not carry the run's marker" };
  }
  return timeKnown ? { kind: 'ours' } : { kind: 'other', reason: 'nothing proves the process with that PID is the run' };
}
