/**
 * Seed logs (`logs/SLUG/seed_N.log`) are appended to by every attempt; run.sh starts each attempt
 * with a marker line. Only the latest attempt says why the seed has no result: a traceback of an
 * earlier, since fixed, attempt must not be blamed. Pure.
 */

/** The marker run.sh writes into the seed log as an attempt starts. */
export const ATTEMPT_MARKER_RE = /^run\.sh: .* seed -?\d+ started\b.*$/gm;

/** The text of the latest attempt in LOG (the whole log when it has no marker). */
export function latestAttempt(log: string): string {
  let start = 0;
  for (const m of log.matchAll(ATTEMPT_MARKER_RE)) start = m.index!;
  return log.slice(start);
}
