/**
 * The --checkpoint patch. Framework mechanisms first (save_strategy + resume_from_checkpoint,
 * ModelCheckpoint(save_last=True) + ckpt_path="last", Keras ModelCheckpoint + BackupAndRestore);
 * hand-written loops save model, optimizer (scheduler, scaler), progress, RNG states and the wandb
 * run id every N epochs (or steps) and at the end, atomically, and resume from the latest.
 */
import { basename } from 'node:path';
import type { SyntaxNode } from '../../parser/index.js';
import { lineAt } from '../../core/source-text.js';
import { pyString } from '../../core/quote.js';
import { assignedFrom, epochLoop, modelName, optimizerName, rankZeroCondition, setupScope } from './anchors.js';
import { addKeyword, callsNamed, keywordValue, mergeIntoList } from './call-edits.js';
import { addArgument, argsName } from './cli-args.js';
import { statementOf } from '../../analyze/syntax.js';
import type { PlanContext } from './context.js';
import { checkpointHelpers, hfLastCheckpointHelper } from './python-helpers.js';
import { hfTrainingArgs } from './seed.js';
import { unicodeIds } from './identifiers.js';
import { frameworkCallNode, kerasModule, lightningNamespace, lightningTrainerCall } from './framework-sites.js';
import { guarded } from './setup.js';

const SCHEDULERS = /(?:lr_scheduler\.)?\w*(?:LR|Scheduler|Annealing\w*|OneCycle\w*)|get_\w*schedule\w*/;

/** `DIR/<script>/last.pt`: each script in a project keeps its own checkpoint. */
export function checkpointPath(ctx: PlanContext): string {
  const script = basename(ctx.analysis.file).replace(/\.py$/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'train';
  return `${ctx.options.checkpoint!.dir.replace(/\/+$/, '')}/${script}/last.pt`;
}

/** Plans the checkpoint patch; returns why nothing was placed, or null. */
export function planCheckpoint(ctx: PlanContext): string | null {
  const a = ctx.analysis;
  const every = ctx.options.checkpoint!.every;
  const dir = ctx.options.checkpoint!.dir;
  switch (a.framework.name) {
    case 'hf-trainer':
      return planHf(ctx, every);
    case 'lightning':
      return planLightning(ctx, dir, every);
    case 'keras':
      if (a.trainLoops.some((l) => l.kind === 'framework-call')) return planKeras(ctx, dir);
      break;
    default:
      break;
  }
  if (a.existing.checkpoint.present) return `the script already saves checkpoints (line ${a.existing.checkpoint.lines.join(', ')})`;
  return planLoop(ctx, every);
}

function planHf(ctx: PlanContext, every: number): string | null {
  const text = ctx.src.text;
  if (/\bresume_from_checkpoint\s*=/.test(text)) return 'the Trainer already resumes from a checkpoint (resume_from_checkpoint)';
  const trainCall = frameworkCallNode(ctx, 'train');
  const { call, name } = hfTrainingArgs(ctx);
  if (!trainCall) return 'trainer.train() not found';
  const strategy = every > 1 ? [`save_strategy="steps"`, `save_steps=${every}`] : ['save_strategy="epoch"'];
  let argsVar = name;
  if (call) {
    if (!keywordValue(ctx, call, 'save_strategy')) for (const kw of strategy) addKeyword(ctx, call, kw, 'checkpoint', 'the Trainer saves checkpoint-N folders in output_dir');
    const assigned = /^\s*(\w+)\s*=/.exec(ctx.text(statementOf(call)));
    argsVar = assigned ? assigned[1]! : argsVar;
  } else if (name && ctx.analysis.config.parseLine) {
    ctx.b.insertAfter(ctx.statementAt(ctx.analysis.config.parseLine)!, strategy.map((kw) => `${name}.${kw.replace('=', ' = ')}`), 'checkpoint', 'the Trainer saves checkpoint-N folders in output_dir');
  }
  if (!argsVar) return 'no TrainingArguments found for output_dir';
  ctx.helpers.set('_expkit_last_checkpoint', hfLastCheckpointHelper());
  addKeyword(ctx, trainCall, `resume_from_checkpoint=_expkit_last_checkpoint(${argsVar}.output_dir)`, 'checkpoint', 'resume from the newest checkpoint-N in output_dir when there is one');
  return null;
}

function planLightning(ctx: PlanContext, dir: string, every: number): string | null {
  if (/\bModelCheckpoint\s*\(/.test(ctx.src.text) && /\bckpt_path\s*=/.test(ctx.src.text)) return 'the script already checkpoints and resumes (ModelCheckpoint, ckpt_path)';
  const ns = lightningNamespace(ctx);
  const cli = callsNamed(ctx, 'LightningCLI')[0];
  if (cli) return 'LightningCLI: add ModelCheckpoint(save_last=True) to the config and run with --ckpt_path last';
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
  if (!keywordValue(ctx, fitCall, 'ckpt_path')) addKeyword(ctx, fitCall, 'ckpt_path="last"', 'checkpoint', 'resume from last.ckpt when it exists');
  return null;
}

function planKeras(ctx: PlanContext, dir: string): string | null {
  if (/\b(BackupAndRestore)\s*\(/.test(ctx.src.text)) return 'the script already uses BackupAndRestore';
  const fitCall = frameworkCallNode(ctx, 'fit');
  if (!fitCall) return 'model.fit(...) not found';
  const cbs = kerasModule(ctx);
  if (!/\bModelCheckpoint\s*\(/.test(ctx.src.text)) {
    mergeIntoList(ctx, fitCall, 'callbacks', `${cbs}.callbacks.ModelCheckpoint(${pyString(`${dir}/last.keras`)})`, 'checkpoint', 'ModelCheckpoint saves the model every epoch');
  }
  mergeIntoList(ctx, fitCall, 'callbacks', `${cbs}.callbacks.BackupAndRestore(${pyString(`${dir}/backup`)})`, 'checkpoint', 'BackupAndRestore resumes an interrupted fit at the epoch it stopped');
  return null;
}

/** Hand-written loops: resume before the epoch loop, skip done epochs, save every N and at the end. */
function planLoop(ctx: PlanContext, every: number): string | null {
  const loop = ctx.handLoop();
  if (!loop) return 'no training loop found to checkpoint';
  const epoch = epochLoop(ctx, loop);
  const node = epoch.node;
  if (!node) return `the training loop at line ${loop.line} could not be located`;
  const scope = epoch.fn;
  const stepMarker = loop.stepMarkers.find((m) => m.kind === 'optimizer-step');
  const optimizer = stepMarker ? optimizerName(stepMarker.text) : null;
  const defined = (n: string | null): n is string => n !== null && (ctx.definesName(scope, n) || ctx.definesName(null, n));
  if (!defined(optimizer)) return `the optimizer${optimizer ? ` \`${optimizer}\`` : ''} is not defined where the epoch loop runs (line ${lineAt(ctx.src, node.startIndex)})`;
  const model = modelName(ctx, scope, optimizer);
  if (!defined(model)) return 'no model found whose parameters the optimizer trains';
  const objects = [`model=${model}`, `optimizer=${optimizer}`];
  const scheduler = assignedFrom(ctx, scope, SCHEDULERS);
  if (scheduler && scheduler !== optimizer && defined(scheduler)) objects.push(`scheduler=${scheduler}`);
  const scaler = assignedFrom(ctx, scope, /(?:\w+\.)*GradScaler/);
  if (scaler && defined(scaler)) objects.push(`scaler=${scaler}`);

  const withNumpy = (ctx.analysis.imports?.modules ?? []).some((m) => m === 'numpy' || m.startsWith('numpy.'));
  ctx.helpers.set('_expkit_checkpoint', checkpointHelpers(withNumpy, ctx.options.wandb !== undefined && !ctx.analysis.existing.wandb.present));
  const path = pyString(checkpointPath(ctx));
  const setup = setupScope(ctx, node);
  const args = argsName(setup);
  const resumeFlag = args && addArgument(ctx, `"--resume", action="store_true", help=${pyString('resume from the latest checkpoint when there is one (added by expkit)')}`, 'checkpoint', 'a --resume flag');
  const resumeCall = `_expkit_resume(${path}, ${objects.join(', ')})`;
  const rank = rankZeroCondition(ctx, scope);
  if (rank?.needsOs) ctx.needImport('import os', 'os');
  const save = (progress: string) => `_expkit_save_checkpoint(${path}, ${progress}, ${objects.join(', ')})`;

  if (node.type === 'while_statement') return planWhile(ctx, node, every, resumeCall, resumeFlag ? args : null, save, rank?.expr ?? null);

  const body = ctx.bodyStatements(node);
  if (body.length === 0) return 'the epoch loop has an empty body';
  ctx.b.insertBefore(node, [`_expkit_done = ${resumeCall}${resumeFlag ? ` if ${args}.resume else 0` : ''}`, '_expkit_epoch = 0'], 'checkpoint', 'resume model, optimizer, progress and RNG state from the latest checkpoint');
  ctx.b.insertBefore(body[0]!, ['_expkit_epoch += 1', 'if _expkit_epoch <= _expkit_done:', '    continue'], 'checkpoint', 'skip the epochs a resumed run has already done');
  const conditions = [...(rank ? [rank.expr] : []), ...(every > 1 ? [`_expkit_epoch % ${every} == 0`] : [])];
  ctx.b.insertAfter(body[body.length - 1]!, guarded(conditions.join(' and ') || null, [save('_expkit_epoch')]), 'checkpoint', `save a checkpoint every ${every > 1 ? `${every} epochs` : 'epoch'}, atomically`);
  ctx.b.insertAfter(node, guarded(rank?.expr ?? null, [save('_expkit_epoch')]), 'checkpoint', 'save the final state');
  return null;
}

/** Step-based `while` loops with a counter (`iter_num += 1`): save every N steps, resume the counter. */
function planWhile(ctx: PlanContext, node: SyntaxNode, every: number, resumeCall: string, args: string | null, save: (p: string) => string, rank: string | null): string | null {
  const body = ctx.text(node);
  const inc = unicodeIds(/^[ \t]*(\w+)\s*\+=\s*1\b/m).exec(body);
  if (!inc) return 'a step-based while loop without a step counter (`step += 1`): cannot resume it';
  const counter = inc[1]!;
  const incLine = lineAt(ctx.src, node.startIndex + inc.index + inc[0].search(/\S/));
  const incStmt = ctx.statementAt(incLine);
  if (!incStmt) return 'the step counter increment could not be located';
  ctx.b.insertBefore(node, [`_expkit_done = ${resumeCall}${args ? ` if ${args}.resume else 0` : ''}`, 'if _expkit_done:', `    ${counter} = _expkit_done`], 'checkpoint', `resume model, optimizer, RNG state and ${counter} from the latest checkpoint`);
  const conditions = [...(rank ? [rank] : []), ...(every > 1 ? [`${counter} % ${every} == 0`] : [])];
  ctx.b.insertAfter(incStmt, guarded(conditions.join(' and ') || null, [save(counter)]), 'checkpoint', `save a checkpoint every ${every > 1 ? `${every} steps` : 'step'}, atomically`);
  ctx.b.insertAfter(node, guarded(rank, [save(counter)]), 'checkpoint', 'save the final state');
  return null;
}
