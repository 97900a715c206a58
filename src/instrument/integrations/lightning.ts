/**
 * PyTorch Lightning (`lightning.pytorch` or `pytorch_lightning`), including LightningCLI:
 * a WandbLogger merged into the Trainer's `logger=`, `seed_everything`, and a
 * ModelCheckpoint(save_last=True) with `ckpt_path="last"` on fit when last.ckpt exists, to resume.
 */
import { pyString } from '../../core/quote.js';
import { setupScope } from '../planning/anchors.js';
import { addKeyword, dictEntry, extendEntry, keywordValue, mergeIntoDict, mergeIntoList } from '../planning/call-edits.js';
import type { PlanContext } from '../planning/context.js';
import { frameworkCallNode, lightningNamespace, lightningTrainerCall } from '../planning/framework-sites.js';
import { seedValue } from '../planning/seed-value.js';
import { insertSetup } from '../planning/setup.js';
import { initArguments, projectName } from '../planning/wandb-args.js';
import { handLoop, runDirCall, seedEverythingCall } from './hand-loop.js';
import { instrumentLines } from '../../python-library/definition.js';
import { CLI_RESUME, RESUME_LAST, rngStateCallback } from '../../python-library/lightning.js';
import { RESUME_FILE, RUN_IDENTITY } from '../../python-library/run-identity.js';
import type { SyntaxNode } from '../../parser/index.js';
import { statementOf } from '../../analyze/syntax.js';
import type { Integration } from './types.js';

export const lightning: Integration = {
  name: 'lightning',
  matches: (ctx) => ctx.analysis.framework.name === 'lightning',
  wandb: planWandb,
  seed: planSeed,
  checkpoint: planCheckpoint,
  // torch's generators and Python's and NumPy's, as a hand-written loop seeds them.
  seedAll: (ctx, value) => [seedEverythingCall(ctx, value)],
};

function lightningCli(ctx: PlanContext) {
  return ctx.callsTo('LightningCLI')[0] ?? null;
}

function planWandb(ctx: PlanContext): string | null {
  const ns = lightningNamespace(ctx);
  const logger = `WandbLogger(${initArguments(ctx).join(', ')})`;
  const cli = lightningCli(ctx);
  if (cli) {
    const defaults = keywordValue(ctx, cli, 'trainer_defaults');
    if (defaults && /["']logger["']/.test(ctx.text(defaults))) return 'LightningCLI trainer_defaults already set a logger; add WandbLogger there';
    const entry = `"logger": {"class_path": "${ns}.loggers.WandbLogger", "init_args": {"project": ${pyString(projectName(ctx))}}}`;
    mergeIntoDict(ctx, cli, 'trainer_defaults', entry, 'wandb', 'LightningCLI gets a WandbLogger through its trainer defaults');
    // With a logger, LightningCLI saves its config.yaml in the working folder and refuses to overwrite
    // it on the next run: a rerun of the same command must work.
    if (!keywordValue(ctx, cli, 'save_config_kwargs')) addKeyword(ctx, cli, 'save_config_kwargs={"overwrite": True}', 'wandb', 'a rerun may overwrite the config.yaml LightningCLI saves');
    return null;
  }
  const trainer = lightningTrainerCall(ctx);
  if (!trainer) return 'no Lightning Trainer(...) found';
  ctx.needImport(`from ${ns}.loggers import WandbLogger`, `${ns}.loggers`);
  mergeIntoList(ctx, trainer, 'logger', logger, 'wandb', `WandbLogger from ${ns}.loggers, the namespace of the script's Trainer`, true);
  return null;
}

function planSeed(ctx: PlanContext): string | null {
  const opts = ctx.options.seed!;
  const frameworkCall = ctx.analysis.trainLoops.find((l) => l.kind === 'framework-call');
  if (!frameworkCall) return handLoop.seed(ctx);
  const cli = lightningCli(ctx);
  if (cli) {
    addKeyword(ctx, cli, `seed_everything_default=${opts.value}`, 'seed', 'LightningCLI seeds with seed_everything_default');
    return null;
  }
  const fn = seedFunction(ctx);
  const setup = setupScope(ctx, ctx.statementAt(frameworkCall.line));
  const value = seedValue(ctx, setup, opts.value);
  if (!insertSetup(ctx, setup, [`${fn}(${value}, workers=True)`], 'seed', 'Lightning seed_everything (workers too)')) return 'no place to seed before the Trainer';
  return null;
}

function seedFunction(ctx: PlanContext): string {
  const alias = ctx.syntax.imports.find((i) => i.imported === null && ['lightning', 'lightning.pytorch', 'pytorch_lightning'].includes(i.module) && i.name !== i.module);
  if (alias) return `${alias.name}.seed_everything`;
  const ns = lightningNamespace(ctx);
  ctx.needImport(`from ${ns} import seed_everything`, ns);
  return 'seed_everything';
}

function planCheckpoint(ctx: PlanContext): string | null {
  const every = ctx.options.checkpoint!.every;
  if (ctx.callsTo('(?:\\w+\\.)*ModelCheckpoint').length && ctx.passesKeyword('ckpt_path')) return 'the script already checkpoints and resumes (ModelCheckpoint, ckpt_path)';
  const ns = lightningNamespace(ctx);
  const cli = lightningCli(ctx);
  if (cli) return planCliCheckpoint(ctx, cli, ns, every);
  const trainer = lightningTrainerCall(ctx);
  const fitCall = frameworkCallNode(ctx, 'fit');
  if (!trainer || !fitCall) return 'no Lightning Trainer(...) and trainer.fit(...) found';
  // Checkpoints go to this run's folder (script, configuration, seed), and carry the RNG states.
  ctx.needHelper('_expkit_fresh_start', instrumentLines(...RUN_IDENTITY));
  ctx.needHelper('_expkit_resume_file', instrumentLines(RESUME_FILE));
  ctx.needHelper('_expkit_rng_state_callback', instrumentLines(rngStateCallback(ns)));
  const runDir = runDirCall(ctx, setupScope(ctx, statementOf(trainer)).configExpr);
  const existing = ctx.callsTo('(?:\\w+\\.)*ModelCheckpoint')[0];
  if (existing) {
    if (!keywordValue(ctx, existing, 'save_last')) addKeyword(ctx, existing, 'save_last=True', 'checkpoint', 'the existing ModelCheckpoint also keeps last.ckpt to resume from');
    if (!keywordValue(ctx, existing, 'dirpath')) addKeyword(ctx, existing, `dirpath=${runDir}`, 'checkpoint', "the existing ModelCheckpoint saves in this run's folder, where a rerun finds it");
  } else {
    ctx.needImport(`from ${ns}.callbacks import ModelCheckpoint`, `${ns}.callbacks`);
    const cb = `ModelCheckpoint(dirpath=${runDir}, save_last=True${every > 1 ? `, every_n_epochs=${every}` : ''})`;
    mergeIntoList(ctx, trainer, 'callbacks', cb, 'checkpoint', "ModelCheckpoint keeps a last.ckpt in this run's folder to resume from");
  }
  mergeIntoList(ctx, trainer, 'callbacks', '_expkit_rng_state_callback()', 'checkpoint', 'the checkpoint carries the RNG states, so a resumed fit draws what an uninterrupted one would');
  const receiver = fitCall.childForFieldName('function')?.childForFieldName('object');
  if (!receiver) return 'trainer.fit(...) is not called on a trainer object';
  const own = keywordValue(ctx, fitCall, 'ckpt_path');
  if (own && /^[rbuf]*["']/i.test(ctx.text(own))) return null; // a fixed path or "last"/"best": the script decides
  ctx.helpers.set('_expkit_resume_last', instrumentLines(RESUME_LAST));
  const resume = `_expkit_resume_last(${ctx.text(receiver)})`;
  // The script's own setting (`ckpt_path=cfg.get("ckpt_path")`) wins when it names a checkpoint.
  if (own) ctx.b.replace(own, `${ctx.text(own)} or ${resume}`, 'checkpoint', 'resume from last.ckpt when the script names no checkpoint itself');
  else addKeyword(ctx, fitCall, `ckpt_path=${resume}`, 'checkpoint', 'resume from last.ckpt when it exists');
  return null;
}

/**
 * LightningCLI: a ModelCheckpoint(save_last=True) in this run's folder through the trainer defaults,
 * and, right before the CLI parses the command line, `--ckpt_path` added to `fit` when that folder
 * has a last.ckpt (so a rerun of the same command resumes).
 */
function planCliCheckpoint(ctx: PlanContext, cli: SyntaxNode, ns: string, every: number): string | null {
  const defaults = keywordValue(ctx, cli, 'trainer_defaults');
  const ownCallbacks = dictEntry(ctx, defaults, 'callbacks');
  if (ownCallbacks && /\bModelCheckpoint\s*\(/.test(ctx.text(ownCallbacks)) && ctx.syntax.functions.has('_expkit_cli_resume')) {
    return 'the script already checkpoints and resumes (ModelCheckpoint in trainer_defaults, _expkit_cli_resume)';
  }
  if (defaults && !ownCallbacks && /["']callbacks["']/.test(ctx.text(defaults))) return 'LightningCLI trainer_defaults set callbacks in a way expkit cannot extend; add ModelCheckpoint(save_last=True) there';
  if (keywordValue(ctx, cli, 'args')) return 'LightningCLI(args=…) is set by the script: run it with --ckpt_path to resume';
  ctx.needHelper('_expkit_fresh_start', instrumentLines(...RUN_IDENTITY));
  ctx.needHelper('_expkit_resume_file', instrumentLines(RESUME_FILE));
  ctx.needHelper('_expkit_cli_resume', instrumentLines(CLI_RESUME));
  ctx.needImport(`from ${ns}.callbacks import ModelCheckpoint`, `${ns}.callbacks`);
  const runDir = runDirCall(ctx);
  ctx.needHelper('_expkit_rng_state_callback', instrumentLines(rngStateCallback(ns)));
  const cb = `ModelCheckpoint(dirpath=${runDir}, save_last=True${every > 1 ? `, every_n_epochs=${every}` : ''})`;
  // The script's own callbacks stay; expkit's join them.
  if (ownCallbacks) extendEntry(ctx, ownCallbacks, [cb, '_expkit_rng_state_callback()'], 'checkpoint', "a ModelCheckpoint keeps last.ckpt in this run's folder");
  else mergeIntoDict(ctx, cli, 'trainer_defaults', `"callbacks": [${cb}, _expkit_rng_state_callback()]`, 'checkpoint', "a ModelCheckpoint keeps last.ckpt in this run's folder");
  ctx.b.insertBefore(statementOf(cli), [`_expkit_cli_resume(${runDir})`], 'checkpoint', "fit resumes from this run's last.ckpt when there is one");
  return null;
}
