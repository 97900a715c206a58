/**
 * The Hugging Face Trainer (and TRL's trainers, which are Trainers): tracking through
 * `report_to="wandb"` and WANDB_PROJECT, seeding through `TrainingArguments(seed=…)` or
 * `set_seed`, checkpoints through `save_strategy` and `resume_from_checkpoint`.
 */
import { pyString } from '../../core/quote.js';
import { lineAt } from '../../core/source-text.js';
import type { SyntaxNode } from '../../parser/index.js';
import { setupScope } from '../planning/anchors.js';
import { insertSetup } from '../planning/setup.js';
import { statementOf } from '../../analyze/syntax.js';
import { addKeyword, keywordValue } from '../planning/call-edits.js';
import type { PlanContext } from '../planning/context.js';
import { frameworkCallNode } from '../planning/framework-sites.js';
import { instrumentLines } from '../../python-library/definition.js';
import { HF_LAST_CHECKPOINT } from '../../python-library/hf.js';
import { addWandbTracker, projectName } from '../planning/wandb-args.js';
import type { Integration } from './types.js';

export const hfTrainer: Integration = {
  name: 'hf-trainer',
  matches: (ctx) => ctx.analysis.framework.name === 'hf-trainer',
  wandb: planWandb,
  seed: planSeed,
  checkpoint: planCheckpoint,
};

/** TrainingArguments and the TRL configs that subclass it (SFTConfig, DPOConfig, GRPOConfig, …). */
const TRAINING_ARGS_CLASSES = '(?:Seq2Seq)?TrainingArguments|(?:SFT|DPO|GRPO|Reward|PPO|KTO|ORPO|CPO|RLOO|BCO|PRM|GKD|OnlineDPO|XPO|NashMD|IterativeSFT)Config';

/** The TrainingArguments construction, or the name of the parsed TrainingArguments (HfArgumentParser). */
export function hfTrainingArgs(ctx: PlanContext): { call: SyntaxNode | null; name: string | null } {
  const call = ctx.callsTo(TRAINING_ARGS_CLASSES)[0] ?? null;
  const vars = ctx.analysis.config.argsVars;
  const name = vars.find((v) => /train/i.test(v)) ?? vars[vars.length - 1] ?? null;
  return { call, name };
}

function planWandb(ctx: PlanContext): string | null {
  ctx.needImport('import os', 'os');
  ctx.addPreamble([`os.environ.setdefault("WANDB_PROJECT", ${pyString(projectName(ctx))})`], 'the wandb project the Trainer logs to, unless WANDB_PROJECT is set');
  const { call, name } = hfTrainingArgs(ctx);
  const reason = 'the HF Trainer reports to wandb itself (report_to="wandb")';
  if (call) {
    addWandbTracker(ctx, call, 'report_to', reason);
    return null;
  }
  if (name && ctx.analysis.config.parseLine) {
    // Parsed from the command line: parsing leaves a list (`--report_to none` is []). Keep the user's
    // trackers, add wandb once; a list literal naming "wandb" is what tells a later run it is there.
    const merged = `[*(tracker for tracker in ${name}.report_to if tracker != "wandb"), "wandb"]`;
    ctx.b.insertAfter(ctx.statementAt(ctx.analysis.config.parseLine)!, [`${name}.report_to = ${merged}`], 'wandb', reason);
    return null;
  }
  return 'no TrainingArguments found to set report_to on';
}

/**
 * The Trainer seeds itself from `TrainingArguments.seed` when it is built, but the model is usually
 * built before it: `set_seed` goes where training is set up, before the model, with the same seed.
 */
function planSeed(ctx: PlanContext): string | null {
  const a = ctx.analysis;
  const opts = ctx.options.seed!;
  const ta = hfTrainingArgs(ctx);
  let seed: string;
  let anchor: SyntaxNode | null;
  if (ta.call) {
    const own = keywordValue(ctx, ta.call, 'seed');
    if (own) seed = ctx.text(own);
    else {
      addKeyword(ctx, ta.call, `seed=${opts.value}`, 'seed', 'TrainingArguments(seed=…) seeds the HF Trainer');
      seed = String(opts.value);
    }
    anchor = statementOf(ta.call);
  } else if (ta.name && a.config.parseLine) {
    seed = `${ta.name}.seed`;
    anchor = ctx.statementAt(a.config.parseLine);
  } else return 'no TrainingArguments found to seed';
  ctx.needImport('from transformers import set_seed', 'transformers');
  const setup = setupScope(ctx, firstModelStatement(ctx, anchor) ?? anchor);
  if (!insertSetup(ctx, setup, [`set_seed(${seed})`], 'seed', 'transformers.set_seed before the model is built (the Trainer seeds only itself)')) return 'no place to seed before the model is built';
  return null;
}

/** The first statement in the anchor's function that builds a model (`…from_pretrained(`, `…from_config(`, `Model(config)`). */
function firstModelStatement(ctx: PlanContext, anchor: SyntaxNode | null): SyntaxNode | null {
  if (!anchor) return null;
  const fn = ctx.functionAround(anchor);
  const text = fn ? ctx.text(fn) : ctx.src.text;
  const m = /^[ \t]*\w+\s*=\s*[\w.]*(?:from_pretrained|from_config|For\w+|Model)\s*\(/m.exec(text);
  if (!m) return null;
  const stmt = ctx.statementAt(lineAt(ctx.src, (fn ? fn.startIndex : 0) + m.index + m[0].search(/\S/)));
  return stmt && stmt.startIndex < anchor.startIndex ? stmt : null;
}

function planCheckpoint(ctx: PlanContext): string | null {
  const every = ctx.options.checkpoint!.every;
  if (ctx.passesKeyword('resume_from_checkpoint')) return 'the Trainer already resumes from a checkpoint (resume_from_checkpoint)';
  const trainCall = frameworkCallNode(ctx, 'train');
  const { call, name } = hfTrainingArgs(ctx);
  if (!trainCall) return 'trainer.train() not found';
  const strategy = every > 1 ? [`save_strategy="steps"`, `save_steps=${every}`] : ['save_strategy="epoch"'];
  let argsVar = name;
  if (call) {
    // A save_strategy or save_steps the script sets is its own choice: the Trainer saves by steps then.
    const userSaves = keywordValue(ctx, call, 'save_strategy') ?? keywordValue(ctx, call, 'save_steps');
    if (!userSaves) for (const kw of strategy) addKeyword(ctx, call, kw, 'checkpoint', 'the Trainer saves checkpoint-N folders in output_dir');
    const assigned = /^\s*(\w+)\s*=/.exec(ctx.text(statementOf(call)));
    argsVar = assigned ? assigned[1]! : argsVar;
  } else if (name && ctx.analysis.config.parseLine) {
    // Parsed from the command line: only a run that would not save at all gets a save strategy.
    const set = strategy.map((kw) => `    ${name}.${kw.replace('=', ' = ')}`);
    ctx.b.insertAfter(ctx.statementAt(ctx.analysis.config.parseLine)!, [`if ${name}.save_strategy == "no":`, ...set], 'checkpoint', 'the Trainer saves checkpoint-N folders in output_dir when the command line turned saving off');
  }
  if (!argsVar) return 'no TrainingArguments found for output_dir';
  ctx.helpers.set('_expkit_last_checkpoint', instrumentLines(HF_LAST_CHECKPOINT));
  addKeyword(ctx, trainCall, `resume_from_checkpoint=_expkit_last_checkpoint(${argsVar}.output_dir)`, 'checkpoint', 'resume from the newest checkpoint-N in output_dir when there is one');
  return null;
}
