/** What every wandb integration passes on: the project, entity and mode the user asked for. */
import { pyString } from '../../core/quote.js';
import type { SyntaxNode } from '../../parser/index.js';
import { addKeyword, keywordValue, replaceKeyword } from './call-edits.js';
import { instrumentLines } from '../../python-library/definition.js';
import { WITH_WANDB } from '../../python-library/wandb.js';
import type { PlanContext } from './context.js';

export function projectName(ctx: PlanContext): string {
  return ctx.options.wandb?.project ?? 'expkit';
}

/** `project=…, entity=…, mode=…` for wandb.init and the integrations. */
export function initArguments(ctx: PlanContext): string[] {
  const w = ctx.options.wandb ?? {};
  const args = [`project=${pyString(projectName(ctx))}`];
  if (w.entity) args.push(`entity=${pyString(w.entity)}`);
  if (w.mode) args.push(`mode=${pyString(w.mode)}`);
  return args;
}

/**
 * A tracker list (`report_to`, `log_with`) with wandb in it: "none"/"all" become "wandb"; other
 * trackers are kept. `None` means no tracker. Anything else (a variable, a call) is kept whole:
 * a string value is wrapped, a list value extended, at run time.
 */
export function trackersWithWandb(current: string): string {
  const value = current.trim();
  if (value === 'None') return '"wandb"';
  const str = /^[rbuf]*(["'])(.*)\1$/i.exec(value);
  if (str) return /^(none|all|)$/.test(str[2]!) ? '"wandb"' : `[${value}, "wandb"]`;
  const list = /^[[(]\s*(.*?)\s*,?\s*[\])]$/s.exec(value);
  if (list) return list[1] ? `[${list[1]}, "wandb"]` : '["wandb"]';
  return `_expkit_with_wandb(${value})`;
}

/**
 * Make a tracker keyword (`report_to=`, `log_with=`) of `call` include wandb: added when missing,
 * merged into the script's own value (with the run-time helper when only run time knows it).
 */
export function addWandbTracker(ctx: PlanContext, call: SyntaxNode, keyword: string, reason: string): void {
  const value = keywordValue(ctx, call, keyword);
  if (!value) {
    addKeyword(ctx, call, `${keyword}="wandb"`, 'wandb', reason);
    return;
  }
  const merged = trackersWithWandb(ctx.text(value));
  if (merged.startsWith('_expkit_with_wandb(')) ctx.needHelper('_expkit_with_wandb', instrumentLines(WITH_WANDB));
  replaceKeyword(ctx, value, merged, 'wandb', reason);
}
