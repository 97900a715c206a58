/** The seed expression a seeding call uses: the script's own seed argument, one expkit adds, or the number. */
import { pyString } from '../../core/quote.js';
import type { SetupScope } from './anchors.js';
import { addArgument, argsName, existingArgument } from './cli-args.js';
import type { PlanContext } from './context.js';
import { setSeedDefault } from './seed-default.js';

const SEED_DESTS = /^(seed|random_seed|manual_seed|rng_seed)$/;

/** `args.seed` when the script has a seed argument (adding one to argparse when it has none), else the number. */
export function seedValue(ctx: PlanContext, setup: SetupScope, value: number): string {
  const args = argsName(setup);
  if (!args) return String(value);
  const dest = existingArgument(ctx, SEED_DESTS);
  if (dest) {
    // `default=None` would seed with None (or a drawn number): the default becomes the seed.
    const none = ctx.analysis.config.arguments.find((a) => a.dest === dest && (a.default === null || a.default === 'None'));
    if (none) setSeedDefault(ctx, none, value);
    return `${args}.${dest}`;
  }
  if (addArgument(ctx, `"--seed", type=int, default=${value}, help=${pyString('random seed (added by expkit)')}`, 'seed', 'a --seed argument for the seed')) return `${args}.seed`;
  return String(value);
}
