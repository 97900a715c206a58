/**
 * 🤗 Accelerate around a hand-written loop: tracking through `Accelerator(log_with="wandb")`,
 * `init_trackers`, `accelerator.log` and `end_training` (the main process only, by accelerate
 * itself). Seeding and checkpointing are the hand-written loop's.
 */
import { pyString } from '../../core/quote.js';
import { statementOf } from '../../analyze/syntax.js';
import { epochLoop, setupScope } from '../planning/anchors.js';
import type { PlanContext } from '../planning/context.js';
import { unicodeIds } from '../planning/identifiers.js';
import { addWandbTracker, projectName } from '../planning/wandb-args.js';
import { handLoop, placeLoopLog } from './hand-loop.js';
import type { Integration } from './types.js';

export const accelerate: Integration = {
  name: 'accelerate',
  matches: (ctx) => ctx.analysis.framework.name === 'accelerate',
  wandb: planWandb,
  seed: handLoop.seed,
  checkpoint: handLoop.checkpoint,
};

function planWandb(ctx: PlanContext): string | null {
  const construction = ctx.callsTo('(?:\\w+\\.)*Accelerator')[0];
  const loop = ctx.handLoop();
  if (!construction || !loop) return 'no Accelerator(...) and training loop found';
  const stmt = statementOf(construction);
  const assigned = unicodeIds(/^\s*(\w+)\s*=/).exec(ctx.text(stmt));
  const acc = assigned ? assigned[1]! : 'accelerator';
  addWandbTracker(ctx, construction, 'log_with', 'accelerate tracks through its own wandb integration');
  const setup = setupScope(ctx, stmt);
  const config = setup.configExpr ? `, config=${setup.configExpr}` : '';
  ctx.b.insertAfter(stmt, [`${acc}.init_trackers(${pyString(projectName(ctx))}${config})`], 'wandb', 'init_trackers starts the wandb run on the main process');
  placeLoopLog(ctx, loop, `${acc}.log`, null);
  const epoch = epochLoop(ctx, loop).node ?? ctx.loopNode(loop);
  if (epoch) ctx.b.insertAfter(epoch, [`${acc}.end_training()`], 'wandb', 'end_training finishes the trackers');
  return null;
}
