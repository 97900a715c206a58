/**
 * Keras (Keras 3 or tf.keras) scripts that train with `model.fit`: wandb's WandbMetricsLogger and
 * WandbModelCheckpoint callbacks when the script has TensorFlow (they import it), else expkit's
 * own epoch-metrics callback; `keras.utils.set_random_seed`; ModelCheckpoint and BackupAndRestore
 * to resume an interrupted fit.
 */
import { pyString } from '../../core/quote.js';
import { statementOf } from '../../analyze/syntax.js';
import { setupScope } from '../planning/anchors.js';
import { mergeIntoList } from '../planning/call-edits.js';
import type { PlanContext } from '../planning/context.js';
import { frameworkCallNode, kerasModule } from '../planning/framework-sites.js';
import { instrumentLines } from '../../python-library/definition.js';
import { KERAS_WANDB_LOGGER } from '../../python-library/wandb.js';
import { RUN_IDENTITY, RUN_PATH } from '../../python-library/run-identity.js';
import { runDirCall } from './hand-loop.js';
import { seedValue } from '../planning/seed-value.js';
import { insertSetup } from '../planning/setup.js';
import { initArguments } from '../planning/wandb-args.js';
import type { Integration } from './types.js';

export const keras: Integration = {
  name: 'keras',
  matches: (ctx) => ctx.analysis.framework.name === 'keras' && ctx.analysis.trainLoops.some((l) => l.kind === 'framework-call'),
  wandb: planWandb,
  seed: planSeed,
  checkpoint: planCheckpoint,
};

function planWandb(ctx: PlanContext): string | null {
  const fitCall = frameworkCallNode(ctx, 'fit');
  if (!fitCall) return 'model.fit(...) call not found';
  ctx.needImport('import wandb', 'wandb');
  const setup = setupScope(ctx, statementOf(fitCall));
  const config = setup.configExpr ? [`config=${setup.configExpr}`] : [];
  insertSetup(ctx, setup, [`wandb.init(${[...initArguments(ctx), ...config].join(', ')})`], 'wandb', 'wandb.init before model.fit');
  if (!importsTensorFlow(ctx)) {
    ctx.helpers.set('_expkit_wandb_metrics_logger', instrumentLines(KERAS_WANDB_LOGGER));
    const reason = "logs Keras epoch metrics to wandb (wandb's Keras callbacks need TensorFlow, which this script does not use)";
    mergeIntoList(ctx, fitCall, 'callbacks', `_expkit_wandb_metrics_logger(${kerasModule(ctx)})`, 'wandb', reason);
    return null;
  }
  ctx.needImport('from wandb.integration.keras import WandbMetricsLogger', 'wandb.integration.keras');
  mergeIntoList(ctx, fitCall, 'callbacks', 'WandbMetricsLogger()', 'wandb', 'WandbMetricsLogger logs Keras metrics (the legacy WandbCallback is gone)');
  if (ctx.options.checkpoint) {
    ctx.needImport('from wandb.integration.keras import WandbModelCheckpoint', 'wandb.integration.keras');
    mergeIntoList(ctx, fitCall, 'callbacks', `WandbModelCheckpoint(${pyString(`${ctx.options.checkpoint.dir}/wandb.keras`)})`, 'wandb', 'WandbModelCheckpoint saves models as wandb artifacts');
  }
  return null;
}

/** wandb.integration.keras imports TensorFlow: only a script that uses TensorFlow has it for sure. */
function importsTensorFlow(ctx: PlanContext): boolean {
  return ctx.importsOf('tensorflow').length > 0;
}

function planSeed(ctx: PlanContext): string | null {
  const frameworkCall = ctx.analysis.trainLoops.find((l) => l.kind === 'framework-call')!;
  const setup = setupScope(ctx, ctx.statementAt(frameworkCall.line));
  const value = seedValue(ctx, setup, ctx.options.seed!.value);
  if (!insertSetup(ctx, setup, [`${kerasModule(ctx)}.utils.set_random_seed(${value})`], 'seed', 'keras.utils.set_random_seed seeds Python, NumPy and the backend')) return 'no place to seed before model.fit';
  return null;
}

function planCheckpoint(ctx: PlanContext): string | null {
  if (ctx.callsTo('(?:\\w+\\.)*BackupAndRestore').length) return 'the script already uses BackupAndRestore';
  const fitCall = frameworkCallNode(ctx, 'fit');
  if (!fitCall) return 'model.fit(...) not found';
  const cbs = kerasModule(ctx);
  // In this run's own folder (script, configuration, seed), like every expkit checkpoint: another
  // configuration never resumes this one's state.
  const runDir = runDirCall(ctx, setupScope(ctx, statementOf(fitCall)).configExpr);
  ctx.needHelper('_expkit_fresh_start', instrumentLines(...RUN_IDENTITY));
  ctx.needHelper('_expkit_run_path', instrumentLines(RUN_PATH));
  if (!ctx.callsTo('(?:\\w+\\.)*ModelCheckpoint').length) {
    mergeIntoList(ctx, fitCall, 'callbacks', `${cbs}.callbacks.ModelCheckpoint(_expkit_run_path(${runDir}, "last.keras"))`, 'checkpoint', "ModelCheckpoint saves the model every epoch in this run's folder");
  }
  mergeIntoList(ctx, fitCall, 'callbacks', `${cbs}.callbacks.BackupAndRestore(_expkit_run_path(${runDir}, "backup"))`, 'checkpoint', "BackupAndRestore resumes an interrupted fit at the epoch it stopped, from this run's folder");
  return null;
}
