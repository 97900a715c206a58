/**
 * JAX / Flax / optax loops: the step is usually a jitted function (`train_step`) called from the
 * loop, where nothing may be logged (it runs traced), so wandb logs the values the call returns,
 * in the loop. Seeding covers Python and NumPy (JAX keys are explicit). Checkpoints save the
 * pytrees the loop carries from one epoch to the next (TrainState, params, optimizer state, PRNG
 * keys) with flax.serialization, and resume them.
 */
import type { SyntaxNode } from '../../parser/index.js';
import type { TrainLoop } from '../../analyze/types.js';
import { lineAt } from '../../core/source-text.js';
import { epochLoop, setupScope } from '../planning/anchors.js';
import type { PlanContext } from '../planning/context.js';
import { instrumentLines } from '../../python-library/definition.js';
import { JAX_RESUME, JAX_SAVE } from '../../python-library/jax-checkpoint.js';
import { RUN_IDENTITY } from '../../python-library/run-identity.js';
import { JAX_SEED_EVERYTHING } from '../../python-library/seeding.js';
import { seedValue } from '../planning/seed-value.js';
import { insertSetup } from '../planning/setup.js';
import { pyString } from '../../core/quote.js';
import { carriedNames } from '../planning/carried-state.js';
import { addNoResumeFlag, checkpointLocation, iteratesSteps, ownResume, placeEpochCheckpoints, planWandb, unique } from './hand-loop.js';
import type { Integration } from './types.js';

export const jax: Integration = {
  name: 'jax',
  matches: (ctx) => ctx.analysis.framework.name === 'jax',
  wandb: (ctx) => planWandb(ctx, placeJaxLog),
  seed: planSeed,
  checkpoint: planCheckpoint,
};

const METRIC = /loss|acc|metric|err|perplex|score|reward|return/i;

/** Names an assignment statement binds (`state, loss, acc = …`, `(loss, aux), grads = …`). */
function assignedNames(ctx: PlanContext, stmt: SyntaxNode): string[] {
  const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
  if (assign?.type !== 'assignment') return [];
  const out: string[] = [];
  const visit = (n: SyntaxNode) => {
    if (n.type === 'identifier') out.push(ctx.text(n));
    else if (/^(pattern_list|tuple_pattern|list_pattern|tuple|list|parenthesized_expression)$/.test(n.type)) n.namedChildren.forEach(visit);
  };
  visit(assign.childForFieldName('left')!);
  return out;
}

/** The statement in the loop that runs a step: the call of the (jitted) step function, else the optimizer step. */
function stepStatement(ctx: PlanContext, loop: TrainLoop): SyntaxNode | null {
  const line = loop.via[0]?.callLine ?? [...loop.stepMarkers].reverse().find((m) => m.kind === 'optimizer-step')?.line;
  return line ? ctx.statementAt(line) : null;
}

/** `wandb.log({"train/loss": float(loss), …}, step=…)` after the step call, from the values it returns. */
function placeJaxLog(ctx: PlanContext, loop: TrainLoop, logFn: string): string | null {
  const stmt = stepStatement(ctx, loop);
  if (!stmt) {
    ctx.warnings.push(`wandb: no step call found in the loop at line ${loop.line}; nothing logged in the loop`);
    return null;
  }
  let names = assignedNames(ctx, stmt).filter((n) => METRIC.test(n));
  if (names.length === 0) {
    // The loss is computed in the loop itself before the update (`loss, grads = grad_fn(params)`,
    // flax's `grads, loss, accuracy = apply_model(state, x, y)` then `state = update_model(state, grads)`).
    const block = stmt.parent;
    const before = block?.type === 'block' ? block.namedChildren.filter((n) => n.endIndex <= stmt.startIndex) : [];
    names = unique(before.flatMap((n) => assignedNames(ctx, n)).filter((n) => METRIC.test(n)));
  }
  if (names.length === 0) {
    ctx.warnings.push(`wandb: no loss returned by the step at line ${lineAt(ctx.src, stmt.startIndex)}; nothing logged in the loop`);
    return null;
  }
  const metrics = names.map((n) => (/^(\w+_)?metrics$/.test(n) ? `**{f"train/{k}": float(v) for k, v in ${n}.items()}` : `"train/${n}": float(${n})`));
  ctx.addPreamble(['_expkit_state = {"step": 0}'], 'the global step expkit keeps for the loop (saved with a checkpoint)');
  const step = '_expkit_state["step"]';
  ctx.b.insertAfter(stmt, [`${step} += 1`, `${logFn}({${metrics.join(', ')}}, step=${step})`], 'wandb', 'log what the step returns, in the loop (a jitted step cannot log), at the global step expkit keeps');
  return step;
}

function planSeed(ctx: PlanContext): string | null {
  const loop = ctx.handLoop();
  if (!loop) return 'no training loop found to seed before';
  const epoch = epochLoop(ctx, loop);
  const setup = setupScope(ctx, epoch.node);
  ctx.needHelper('_expkit_seed_everything', instrumentLines(JAX_SEED_EVERYTHING));
  if (setup.fn === null && !setup.after) {
    ctx.addPreamble([`_expkit_seed_everything(${ctx.options.seed!.value})`], 'seed Python and NumPy right after the imports, before anything draws random numbers');
    return null;
  }
  const value = seedValue(ctx, setup, ctx.options.seed!.value);
  if (!insertSetup(ctx, setup, [`_expkit_seed_everything(${value})`], 'seed', 'seed Python and NumPy once the configuration is known')) return 'no place found before the training loop';
  return null;
}

function planCheckpoint(ctx: PlanContext): string | null {
  const a = ctx.analysis;
  const own = ownResume(ctx);
  if (own) return own;
  if (!(a.imports?.modules ?? []).some((m) => m === 'flax' || m.startsWith('flax.'))) {
    return 'a JAX loop is checkpointed with flax.serialization, and the script does not use flax: add your own orbax checkpointing';
  }
  const loop = ctx.handLoop();
  if (!loop) return 'no training loop found to checkpoint';
  const node = epochLoop(ctx, loop).node;
  if (!node || node.type !== 'for_statement') return 'only `for` epoch loops of JAX scripts are checkpointed';
  // What the loop carries from one epoch to the next (`state = train_step(state, …)`, a PRNG key split
  // each epoch): read in the loop before it is rebound there, and bound before it.
  const carried = carriedNames(ctx, node, ctx.functionAround(node));
  if (carried.length === 0) return `no training state carried by the loop at line ${lineAt(ctx.src, node.startIndex)} (e.g. \`state = train_step(state, …)\`)`;
  if (ctx.bodyStatements(node).length === 0) return 'the epoch loop has an empty body';

  ctx.needHelper('_expkit_fresh_start', instrumentLines(...RUN_IDENTITY));
  ctx.needHelper('_expkit_jax_save', instrumentLines(JAX_SAVE, JAX_RESUME));
  const setup = setupScope(ctx, node);
  addNoResumeFlag(ctx, setup);
  const { dir, script } = checkpointLocation(ctx);
  const trees = carried.map((n) => `${n}=${n}`).join(', ');
  placeEpochCheckpoints(ctx, node, {
    resume: [
      `_expkit_ckpt = _expkit_checkpoint_file(${pyString(dir)}, ${pyString(script)}, ${setup.configExpr ?? 'None'}, "last.pkl")`,
      `_expkit_done, _expkit_trees = _expkit_jax_resume(_expkit_ckpt, ${trees})`,
      `${carried.join(', ')} = ${carried.map((n) => `_expkit_trees[${pyString(n)}]`).join(', ')}`,
    ],
    resumeReason: `resume this run (same script, configuration and seed) from its latest checkpoint: ${carried.join(', ')}, progress, RNG state`,
    save: (final) => `_expkit_jax_save(_expkit_ckpt, _expkit_epoch, ${final ? 'final=True, ' : ''}${trees})`,
    rank: null,
    stepLevel: iteratesSteps(ctx, node),
  });
  return null;
}
