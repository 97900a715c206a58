/**
 * An integration knows one way scripts train (a hand-written loop, the HF Trainer, Lightning, …)
 * and offers the wandb, seed and checkpoint plans for it. Each plan writes into its own fragment
 * of the plan context and returns null, or returns why it placed nothing (the fragment is dropped).
 */
import type { PlanContext } from '../planning/context.js';

export type KindPlanner = (ctx: PlanContext) => string | null;

export interface Integration {
  /** Short name for messages: `hand-loop`, `hf-trainer`, `lightning`, … */
  readonly name: string;
  /** Whether this integration drives the script's training. */
  matches(ctx: PlanContext): boolean;
  readonly wandb: KindPlanner;
  readonly seed: KindPlanner;
  readonly checkpoint: KindPlanner;
  /**
   * Lines that seed every generator with `value` (an expression), asking for what they need; for
   * completing seeding the script does only in part. Absent when the integration has none.
   */
  readonly seedAll?: (ctx: PlanContext, value: string) => string[];
}
