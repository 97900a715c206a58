/** Placing setup code (seeding, wandb.init, resume) where the configuration is known. */
import type { SetupScope } from './anchors.js';
import type { PlanContext } from './context.js';
import type { PatchKind } from '../types.js';

export function insertSetup(ctx: PlanContext, setup: SetupScope, lines: string[], kind: PatchKind, reason: string): boolean {
  if (setup.after) ctx.b.insertAfter(setup.after, lines, kind, reason);
  else if (setup.before) ctx.b.insertBefore(setup.before, lines, kind, reason);
  else return false;
  return true;
}

/** Lines guarded by a condition (rank 0), or as they are. */
export function guarded(condition: string | null, lines: string[]): string[] {
  return condition ? [`if ${condition}:`, ...lines.map((l) => `    ${l}`)] : lines;
}
