/** Where framework scripts get patched: the call sites and namespaces the framework planners share. */
import type { SyntaxNode } from '../../parser/index.js';
import { lineAt } from '../../core/source-text.js';
import type { PlanContext } from './context.js';

/** The framework call the analysis found (`trainer.train(…)`, `trainer.fit(…)`, `model.fit(…)`), by method. */
export function frameworkCallNode(ctx: PlanContext, method: 'fit' | 'train'): SyntaxNode | null {
  const found = ctx.analysis.trainLoops.find((l) => l.kind === 'framework-call');
  if (!found) return null;
  const line = found.stepMarkers[0]!.line;
  return ctx.callsTo(`(?:\\w+\\.)*${method}`).find((c) => lineAt(ctx.src, c.startIndex) === line) ?? null;
}

/** Lightning's namespace as the script imports it: `pytorch_lightning` or `lightning.pytorch`. */
export function lightningNamespace(ctx: PlanContext): string {
  return ctx.analysis.framework.variant === 'pytorch_lightning' ? 'pytorch_lightning' : 'lightning.pytorch';
}

/**
 * The script's Lightning `Trainer(...)` (not an HF Seq2Seq/SFT trainer), or the call that builds it
 * from configuration (`hydra.utils.instantiate(cfg.trainer, callbacks=…, logger=…)`).
 */
export function lightningTrainerCall(ctx: PlanContext): SyntaxNode | null {
  const direct = ctx.callsTo('(?:\\w+\\.)*Trainer').find((c) => !/\b(Seq2Seq|SFT)Trainer/.test(ctx.text(c)));
  if (direct) return direct;
  const built = (ctx.analysis.framework.objects ?? []).find((o) => o.role === 'trainer' && /(^|\.)instantiate$/.test(o.callee));
  return built ? (ctx.callsTo('(?:\\w+\\.)*instantiate').find((c) => lineAt(ctx.src, c.startIndex) === built.line) ?? null) : null;
}

/** How the script reaches Keras: `keras` or `tf.keras`; asks for `import keras` when it has neither. */
export function kerasModule(ctx: PlanContext): string {
  if (ctx.syntax.imports.some((i) => i.imported === null && i.module === 'keras' && i.name === 'keras')) return 'keras';
  if (ctx.syntax.imports.some((i) => i.imported === null && i.module === 'tensorflow' && i.name === 'tf')) return 'tf.keras';
  ctx.needImport('import keras', 'keras');
  return 'keras';
}
