/** The --seed patch: seed everything once the configuration is known. Framework helpers first. */
import { pyString } from '../../core/quote.js';
import { epochLoop, setupScope } from './anchors.js';
import { addKeyword, callsNamed } from './call-edits.js';
import { addArgument, argsName, existingArgument } from './cli-args.js';
import type { PlanContext } from './context.js';
import { seedHelper } from './python-helpers.js';
import { kerasModule, lightningNamespace } from './framework-sites.js';
import { insertSetup } from './setup.js';

const SEED_DESTS = /^(seed|random_seed|manual_seed|rng_seed)$/;

/** Plans the seed patch; returns why nothing was placed, or null. */
export function planSeed(ctx: PlanContext, preamble: string[]): string | null {
  const a = ctx.analysis;
  const opts = ctx.options.seed!;
  if (a.existing.seed.present) return `the script already seeds (line ${a.existing.seed.lines.join(', ')})`;
  const reason = `seed everything (${opts.value}) once the configuration is known`;

  if (a.framework.name === 'hf-trainer') {
    const ta = hfTrainingArgs(ctx);
    if (ta.call) {
      addKeyword(ctx, ta.call, `seed=${opts.value}`, 'seed', 'TrainingArguments(seed=…) seeds the HF Trainer');
      return null;
    }
    if (ta.name && a.config.parseLine) {
      ctx.needImport('from transformers import set_seed', 'transformers');
      ctx.b.insertAfter(ctx.statementAt(a.config.parseLine)!, [`set_seed(${ta.name}.seed)`], 'seed', 'transformers.set_seed with the parsed TrainingArguments seed');
      return null;
    }
    return 'no TrainingArguments found to seed';
  }

  const frameworkCall = a.trainLoops.find((l) => l.kind === 'framework-call');
  if (a.framework.name === 'lightning' && frameworkCall) {
    const cli = callsNamed(ctx, 'LightningCLI')[0];
    if (cli) {
      addKeyword(ctx, cli, `seed_everything_default=${opts.value}`, 'seed', 'LightningCLI seeds with seed_everything_default');
      return null;
    }
    const fn = lightningSeedFunction(ctx);
    const setup = setupScope(ctx, ctx.statementAt(frameworkCall.line));
    const value = seedValue(ctx, setup, opts.value);
    if (!insertSetup(ctx, setup, [`${fn}(${value}, workers=True)`], 'seed', 'Lightning seed_everything (workers too)')) return 'no place to seed before the Trainer';
    return null;
  }
  if (a.framework.name === 'keras' && frameworkCall) {
    const setup = setupScope(ctx, ctx.statementAt(frameworkCall.line));
    const value = seedValue(ctx, setup, opts.value);
    if (!insertSetup(ctx, setup, [`${kerasModule(ctx)}.utils.set_random_seed(${value})`], 'seed', 'keras.utils.set_random_seed seeds Python, NumPy and the backend')) return 'no place to seed before model.fit';
    return null;
  }

  const loop = ctx.handLoop();
  if (!loop) return 'no training loop found to seed before';
  const withNumpy = (a.imports?.modules ?? []).some((m) => m === 'numpy' || m.startsWith('numpy.'));
  ctx.helpers.set('_expkit_seed_everything', seedHelper(withNumpy));
  const epoch = epochLoop(ctx, loop);
  const setup = setupScope(ctx, epoch.node);
  const deterministic = opts.deterministic ? ', deterministic=True' : '';
  if (setup.fn === null && !setup.after) {
    // Module-level script: seed right after the imports, before anything draws random numbers.
    preamble.push(`_expkit_seed_everything(${moduleSeed(ctx, opts.value)}${deterministic})`);
    return null;
  }
  const value = seedValue(ctx, setup, opts.value);
  if (!insertSetup(ctx, setup, [`_expkit_seed_everything(${value}${deterministic})`], 'seed', reason)) return 'no place found before the training loop';
  return null;
}

/** `args.seed` when the script has a seed argument (adding one to argparse when it has none), else the number. */
function seedValue(ctx: PlanContext, setup: ReturnType<typeof setupScope>, value: number): string {
  const args = argsName(setup);
  if (!args) return String(value);
  const dest = existingArgument(ctx, SEED_DESTS);
  if (dest) return `${args}.${dest}`;
  if (addArgument(ctx, `"--seed", type=int, default=${value}, help=${pyString('random seed (added by expkit)')}`, 'seed', 'a --seed argument for the seed')) return `${args}.seed`;
  return String(value);
}

function moduleSeed(ctx: PlanContext, value: number): string {
  return /^SEED\s*=/m.test(ctx.src.text) ? 'SEED' : String(value);
}

function lightningSeedFunction(ctx: PlanContext): string {
  const alias = /^import\s+(lightning|pytorch_lightning)\s+as\s+(\w+)/m.exec(ctx.src.text);
  if (alias) return `${alias[2]}.seed_everything`;
  const ns = lightningNamespace(ctx);
  ctx.needImport(`from ${ns} import seed_everything`, ns);
  return 'seed_everything';
}

/** The TrainingArguments construction, or the name of the parsed TrainingArguments (HfArgumentParser). */
export function hfTrainingArgs(ctx: PlanContext): { call: ReturnType<typeof callsNamed>[number] | null; name: string | null } {
  const call = callsNamed(ctx, '(?:Seq2Seq)?TrainingArguments')[0] ?? null;
  const vars = ctx.analysis.config.argsVars;
  const name = vars.find((v) => /train/i.test(v)) ?? vars[vars.length - 1] ?? null;
  return { call, name };
}
