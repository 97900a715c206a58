/** The integrations, most specific first; the hand-written loop takes whatever no other claims. */
import type { PlanContext } from '../planning/context.js';
import { accelerate } from './accelerate.js';
import { fabric } from './fabric.js';
import { handLoop } from './hand-loop.js';
import { hfTrainer } from './hf-trainer.js';
import { jax } from './jax.js';
import { keras } from './keras.js';
import { lightning } from './lightning.js';
import type { Integration } from './types.js';

export type { Integration } from './types.js';

export const INTEGRATIONS: readonly Integration[] = [hfTrainer, lightning, keras, accelerate, fabric, jax, handLoop];

/** The integration that drives the analysed script's training. */
export function integrationFor(ctx: PlanContext): Integration {
  return INTEGRATIONS.find((i) => i.matches(ctx)) ?? handLoop;
}
