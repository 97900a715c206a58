/**
 * Every wandb patch also keeps its metrics locally: a helper that, under `expkit launch`, copies
 * each wandb log call into the run folder's metrics.jsonl, called once after the imports (before
 * any `wandb.init`, whichever integration places it).
 */
import { instrumentLines } from '../../python-library/definition.js';
import { KEEP_WANDB_METRICS, KEEP_WANDB_METRICS_NAME } from '../../python-library/wandb.js';
import type { PlanContext } from './context.js';

export function keepWandbMetricsLocally(ctx: PlanContext): void {
  ctx.needHelper(KEEP_WANDB_METRICS_NAME, instrumentLines(KEEP_WANDB_METRICS));
  ctx.addPreamble([`${KEEP_WANDB_METRICS_NAME}()`], 'under expkit launch, each wandb log call is also appended to metrics.jsonl in the run folder (no W&B account or network needed to read it)');
}
