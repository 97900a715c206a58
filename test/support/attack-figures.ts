/**
 * Figures for the hardening suite (issue 9): how many attacks a test tried and how many of them found
 * every promise kept. The summary reporter (summary-reporter.cjs) prints them under its closing line,
 * so a CI log says "attacks: 184 tried, 184 kept" without anyone counting by hand.
 *
 * Use, in an attack test, once the attacks have run (before the assertions, so a failing test still
 * reports what it saw):
 *
 *   import { recordAttacks } from '../support/attack-figures.js';
 *   recordAttacks('kill -9 during apply', tried, kept);
 *   expect(broken).toEqual([]);
 *
 * Calls with the same name add up (e.g. one per backend, or one per `test` of a table).
 * Jest runs test files in worker processes and the reporter in the parent, so the figures travel
 * through a file: the reporter names it in EXPKIT_ATTACK_FIGURES (inherited by the workers) and
 * removes it after printing. Outside jest's reporter (the variable unset) recording does nothing.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const FIGURES_ENV = 'EXPKIT_ATTACK_FIGURES';

export interface AttackFigure {
  name: string;
  tried: number;
  kept: number;
}

export function recordAttacks(name: string, tried: number, kept: number): void {
  if (!Number.isInteger(tried) || !Number.isInteger(kept) || tried < 0 || kept < 0 || kept > tried) {
    throw new Error(`recordAttacks(${JSON.stringify(name)}): need whole numbers with 0 <= kept <= tried, got ${tried} tried, ${kept} kept`);
  }
  const file = process.env[FIGURES_ENV];
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  // One short line per call: appends this small are atomic, so parallel workers do not interleave.
  const figure: AttackFigure = { name, tried, kept };
  appendFileSync(file, `${JSON.stringify(figure)}\n`);
}

/**
 * A test function that is one attack of `group`: tried once, kept when it passes (its assertions
 * are the promises). Wraps what `test` and `test.each` take:
 *
 *   test.each(['process', 'tmux'])('%s: PID reuse', counted('PID reuse', async (backend) => { … }));
 */
export function counted<A extends unknown[]>(group: string, fn: (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let kept = false;
    try {
      await fn(...args);
      kept = true;
    } finally {
      recordAttacks(group, 1, kept ? 1 : 0);
    }
  };
}
