/**
 * Lightning Fabric around a hand-written loop. Fabric starts the processes itself (`fabric.launch()`,
 * `fabric run`), so rank 0 is `fabric.is_global_zero`, and nothing that reads the Fabric object goes
 * before `fabric = Fabric(...)` and its `fabric.launch()` (anchors.ts: rankZeroCondition).
 *
 * Tracking is plain `wandb.init` on global rank zero plus `wandb.log`, as for any hand-written
 * loop, not Fabric's loggers: Fabric itself has no wandb logger (WandbLogger lives in
 * lightning.pytorch, absent with the standalone lightning_fabric package), and wandb.init keeps
 * the script's configuration and the checkpoint's run id for resuming. Seeding is Fabric's own
 * `seed_everything(…, workers=True)`, which also seeds the dataloader workers Fabric sets up.
 * Checkpoints are the hand-written loop's (the wrapped model and optimizer have state dicts).
 */
import { epochLoop, setupScope } from '../planning/anchors.js';
import type { PlanContext } from '../planning/context.js';
import { seedValue } from '../planning/seed-value.js';
import { insertSetup } from '../planning/setup.js';
import { handLoop } from './hand-loop.js';
import type { Integration } from './types.js';

export const fabric: Integration = {
  name: 'fabric',
  matches: (ctx) => ctx.analysis.framework.name === 'fabric',
  wandb: handLoop.wandb,
  seed: planSeed,
  checkpoint: handLoop.checkpoint,
};

function planSeed(ctx: PlanContext): string | null {
  const opts = ctx.options.seed!;
  // deterministic=True needs the cuDNN and algorithm switches the hand-written loop's helper sets.
  if (opts.deterministic) return handLoop.seed(ctx);
  const loop = ctx.handLoop();
  if (!loop) return 'no training loop found to seed before';
  const setup = setupScope(ctx, epochLoop(ctx, loop).node);
  const value = seedValue(ctx, setup, opts.value);
  const placed = insertSetup(ctx, setup, [`${seedFunction(ctx)}(${value}, workers=True)`], 'seed', `Fabric's seed_everything (${opts.value}), dataloader workers too, before the model and data are built`);
  return placed ? null : 'no place found before the training loop';
}

/** `L.seed_everything` through the script's `import lightning as L`, else imported from its Fabric package. */
function seedFunction(ctx: PlanContext): string {
  const module = ctx.syntax.imports.find((i) => i.imported === null && (i.module === 'lightning' || i.module === 'lightning_fabric'));
  if (module) return `${module.name}.seed_everything`;
  const ns = ctx.importsOf('lightning_fabric').length ? 'lightning_fabric' : 'lightning.fabric';
  ctx.needImport(`from ${ns} import seed_everything`, ns);
  return 'seed_everything';
}
