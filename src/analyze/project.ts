/** Ranking a project's Python files as training entry points (`expkit analyze DIR`). */
import { basename } from 'node:path';
import type { Analysis } from './types.js';

const ENTRY_NAMES = new Set(['train.py', 'main.py', 'run.py', 'run_training.py', 'finetune.py', 'pretrain.py']);

/** Higher is more likely the script a user runs to train. */
export function entryPointScore(a: Analysis): number {
  let score = 0;
  const best = a.trainLoops[0];
  if (best) score += best.kind === 'framework-call' ? 40 : best.stepMarkers.some((m) => m.kind === 'optimizer-step') && best.stepMarkers.some((m) => m.kind === 'backward') ? 50 : 25;
  if (ENTRY_NAMES.has(basename(a.file))) score += 20;
  if (a.exitPoints.mainGuardLine !== null || a.exitPoints.moduleLevel) score += 10;
  if (a.config.kind !== 'none') score += 5;
  return score;
}

/** Whether a file is worth listing: a conventional entry name or something that trains. */
export function isCandidate(a: Analysis): boolean {
  return a.trainLoops.length > 0 || ENTRY_NAMES.has(basename(a.file));
}

export function rankEntryPoints(analyses: Analysis[]): Analysis[] {
  return analyses
    .map((a) => ({ a, s: entryPointScore(a) }))
    .sort((x, y) => y.s - x.s || x.a.file.localeCompare(y.a.file))
    .map((x) => x.a);
}

/** One line: what the file is and how it trains. */
export function oneLineSummary(a: Analysis): string {
  const loop = a.trainLoops[0];
  const where = loop ? `${loop.kind === 'framework-call' ? 'framework call' : `${loop.kind} loop`} at line ${loop.line}${loop.function ? ` in ${loop.function}()` : ''}` : 'no training loop';
  const config = a.config.kind === 'none' ? 'no CLI config' : `${a.config.kind} config`;
  const entry = a.exitPoints.mainFunction ? `entry ${a.exitPoints.mainFunction}()` : a.exitPoints.moduleLevel ? 'module-level script' : 'no entry point';
  return `${a.framework.name}; ${where}; ${config}; ${entry}`;
}
