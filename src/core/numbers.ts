/**
 * The one parser for numbers given on the command line or in the environment (`--grace`, `--every`,
 * `-n`, `EXPKIT_STOP_GRACE`…), so every command refuses the same way: one line naming the flag, the
 * accepted range and the text given, exit 2. `Number()` alone would take "", " 1", "0x10", "1e3" and
 * round 99999999999999999999; these take only plain decimal digits.
 */
import { ExitCode, ExpkitError } from './errors.js';

export interface Range {
  min: number;
  max: number;
}

/** A whole number written in decimal digits, within range. */
export function parseWholeNumber(name: string, text: string, range: Range): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw invalid(name, text, `a whole number from ${range.min} to ${range.max}`);
  }
  return n;
}

const SECONDS_PER_UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/**
 * A duration in seconds: `30`, `1.5`, or with a unit `90s`, `5m`, `2h`; within range (in seconds).
 * Fractions are allowed because a grace or timeout under a second is meaningful.
 */
export function parseSeconds(name: string, text: string, range: Range): number {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(text);
  const seconds = m ? Number(m[1]) * SECONDS_PER_UNIT[m[2]] : NaN;
  if (!Number.isFinite(seconds) || seconds < range.min || seconds > range.max) {
    throw invalid(name, text, `seconds from ${range.min} to ${range.max} (like 30, 1.5, 90s, 5m, 2h)`);
  }
  return seconds;
}

function invalid(name: string, text: string, what: string): ExpkitError {
  return new ExpkitError(`${name} takes ${what}, not ${JSON.stringify(text)}`, { exitCode: ExitCode.Usage });
}
