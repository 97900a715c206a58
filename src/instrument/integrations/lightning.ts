/**
 * PyTorch Lightning (`lightning.pytorch` or `pytorch_lightning`), including LightningCLI:
 * a WandbLogger merged into the Trainer's `logger=`, `seed_everything`, and a
 * ModelCheckpoint(save_last=True) with `ckpt_path="last"` on fit when last.ckpt exists, to resume.
 */
import { pyString } from '../../core/quote.js';
import { setupScope } from '../planning/anchors.js';
import { addKeyword, callsNamed, keywordValue, mergeIntoList } from '../planning/call-edits.js';
import type { PlanContext } from '../planning/context.js';
import { frameworkCallNode, lightningNamespace, lightningTrainerCall } from '../planning/framework-sites.js';
import { seedValue } from '../planning/seed-value.js';
import { insertSetup } from '../planning/setup.js';
import { initArguments, projectName } from '../planning/wandb-args.js';
import { handLoop } from './hand-loop.js';
import { lightningLastCheckpointHelper } from '../planning/python-helpers.js';
import type { Integration } from './types.js';

export const lightning: Integration = {
  name: 'lightning',
  matches: (ctx) => ctx.analysis.framework.name === 'lightning',
  wandb: planWandb,
  seed: planSeed,
  checkpoint: planCheckpoint,
};

function lightningCli(ctx: PlanContext) {
  return callsNamed(ctx, 'LightningCLI')[0] ?? null;
}

function planWandb(ctx: PlanContext): string | null {
  const ns = lightningNamespace(ctx);
  const logger = `WandbLogger(${initArguments(ctx).join(', ')})`;
  const cli = lightningCli(ctx);
  if (cli) {
    const defaults = keywordValue(ctx, cli, 'trainer_defaults');
    const entry = `"logger": {"class_path": "${ns}.loggers.WandbLogger", "init_args": {"project": ${pyString(projectName(ctx))}}}`;
    if (!defaults) addKeyword(ctx, cli, `trainer_defaults={${entry}}`, 'wandb', 'LightningCLI gets a WandbLogger through its trainer defaults');
    else if (defaults.type === 'dictionary' && !/["']logger["']/.test(ctx.text(defaults))) ctx.b.insertText(defaults.startIndex + 1, `${entry}, `, 'wandb', 'LightningCLI gets a WandbLogger through its trainer defaults');
    else return 'LightningCLI trainer_defaults already set a logger; add WandbLogger there';
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
  const alias = /^import\s+(lightning|pytorch_lightning)\s+as\s+(\w+)/m.exec(ctx.src.text);
  if (alias) return `${alias[2]}.seed_everything`;
  const ns = lightningNamespace(ctx);
  ctx.needImport(`from ${ns} import seed_everything`, ns);
  return 'seed_everything';
}

function planCheckpoint(ctx: PlanContext): string | null {
  const dir = ctx.options.checkpoint!.dir;
  const every = ctx.options.checkpoint!.every;
  if (/\bModelCheckpoint\s*\(/.test(ctx.src.text) && /\bckpt_path\s*=/.test(ctx.src.text)) return 'the script already checkpoints and resumes (ModelCheckpoint, ckpt_path)';
  const ns = lightningNamespace(ctx);
  if (lightningCli(ctx)) return 'LightningCLI: add ModelCheckpoint(save_last=True) to the config and run with --ckpt_path last';
  const trainer = lightningTrainerCall(ctx);
  const fitCall = frameworkCallNode(ctx, 'fit');
  if (!trainer || !fitCall) return 'no Lightning Trainer(...) and trainer.fit(...) found';
  const existing = callsNamed(ctx, '(?:\\w+\\.)*ModelCheckpoint')[0];
  if (existing) {
    if (!keywordValue(ctx, existing, 'save_last')) addKeyword(ctx, existing, 'save_last=True', 'checkpoint', 'the existing ModelCheckpoint also keeps last.ckpt to resume from');
  } else {
    ctx.needImport(`from ${ns}.callbacks import ModelCheckpoint`, `${ns}.callbacks`);
    const cb = `ModelCheckpoint(dirpath=${pyString(dir)}, save_last=True${every > 1 ? `, every_n_epochs=${every}` : ''})`;
    mergeIntoList(ctx, trainer, 'callbacks', cb, 'checkpoint', 'ModelCheckpoint keeps a last.ckpt to resume from');
  }
  if (!keywordValue(ctx, fitCall, 'ckpt_path')) {
    const receiver = fitCall.childForFieldName('function')?.childForFieldName('object');
    if (!receiver) return 'trainer.fit(...) is not called on a trainer object';
    ctx.helpers.set('_expkit_resume_last', lightningLastCheckpointHelper());
    addKeyword(ctx, fitCall, `ckpt_path=_expkit_resume_last(${ctx.text(receiver)})`, 'checkpoint', 'resume from last.ckpt when it exists');
  }
  return null;
}
