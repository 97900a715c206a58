/**
 * The --wandb patch. Framework integrations first (report_to="wandb", WandbLogger,
 * WandbMetricsLogger, Accelerator(log_with="wandb")); hand-written loops get wandb.init after
 * the configuration, wandb.log after the optimizer step and eval calls, and wandb.finish on
 * every exit path of the entry function. Distributed scripts init and log on rank 0 only.
 */
import type { SyntaxNode } from '../../parser/index.js';
import { lineAt } from '../../core/source-text.js';
import { pyString } from '../../core/quote.js';
import type { TrainLoop } from '../../analyze/types.js';
import { epochLoop, lossName, optimizerName, rankZeroCondition, setupScope, stepCounter } from './anchors.js';
import { addKeyword, callsNamed, keywordValue, mergeIntoList, replaceKeyword } from './call-edits.js';
import { statementOf } from '../../analyze/syntax.js';
import type { PlanContext } from './context.js';
import { hfTrainingArgs } from './seed.js';
import { frameworkCallNode, lightningNamespace, lightningTrainerCall } from './framework-sites.js';
import { unicodeIds } from './identifiers.js';
import { guarded, insertSetup } from './setup.js';

export function projectName(ctx: PlanContext): string {
  return ctx.options.wandb?.project ?? 'expkit';
}

/** `project=…, entity=…, mode=…` for wandb.init and the integrations. */
function initArguments(ctx: PlanContext): string[] {
  const w = ctx.options.wandb ?? {};
  const args = [`project=${pyString(projectName(ctx))}`];
  if (w.entity) args.push(`entity=${pyString(w.entity)}`);
  if (w.mode) args.push(`mode=${pyString(w.mode)}`);
  return args;
}

/** Plans the wandb patch; returns why nothing was placed, or null. */
export function planWandb(ctx: PlanContext, preamble: string[], checkpointPath: string | null): string | null {
  const a = ctx.analysis;
  if (a.existing.wandb.present) return `the script already tracks with wandb (line ${a.existing.wandb.lines.join(', ')})`;
  switch (a.framework.name) {
    case 'hf-trainer':
      return planHf(ctx, preamble);
    case 'lightning':
      return planLightning(ctx);
    case 'keras':
      if (a.trainLoops.some((l) => l.kind === 'framework-call')) return planKeras(ctx);
      break;
    case 'accelerate':
      return planAccelerate(ctx);
    default:
      break;
  }
  return planLoop(ctx, checkpointPath);
}

function planHf(ctx: PlanContext, preamble: string[]): string | null {
  ctx.needImport('import os', 'os');
  preamble.push(`os.environ.setdefault("WANDB_PROJECT", ${pyString(projectName(ctx))})`);
  const { call, name } = hfTrainingArgs(ctx);
  const reason = 'the HF Trainer reports to wandb itself (report_to="wandb")';
  if (call) {
    const value = keywordValue(ctx, call, 'report_to');
    if (!value) addKeyword(ctx, call, 'report_to="wandb"', 'wandb', reason);
    else replaceKeyword(ctx, value, reportToWith(ctx.text(value)), 'wandb', reason);
    return null;
  }
  if (name && ctx.analysis.config.parseLine) {
    ctx.b.insertAfter(ctx.statementAt(ctx.analysis.config.parseLine)!, [`${name}.report_to = ["wandb"]`], 'wandb', reason);
    return null;
  }
  return 'no TrainingArguments found to set report_to on';
}

/** `report_to` with wandb in it: "none"/"all" become "wandb"; other trackers are kept in a list. */
export function reportToWith(current: string): string {
  const str = /^[rbuf]*(["'])(.*)\1$/i.exec(current.trim());
  if (str) return /^(none|all|)$/.test(str[2]!) ? '"wandb"' : `[${current.trim()}, "wandb"]`;
  const list = /^\[\s*(.*?)\s*,?\s*\]$/s.exec(current.trim());
  if (list) return list[1] ? `[${list[1]}, "wandb"]` : '["wandb"]';
  return `[*${current.trim()}, "wandb"]`;
}

function planLightning(ctx: PlanContext): string | null {
  const ns = lightningNamespace(ctx);
  const logger = `WandbLogger(${initArguments(ctx).join(', ')})`;
  const cli = callsNamed(ctx, 'LightningCLI')[0];
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

function planKeras(ctx: PlanContext): string | null {
  const fitCall = frameworkCallNode(ctx, 'fit');
  if (!fitCall) return 'model.fit(...) call not found';
  ctx.needImport('import wandb', 'wandb');
  ctx.needImport('from wandb.integration.keras import WandbMetricsLogger', 'wandb.integration.keras');
  const setup = setupScope(ctx, statementOf(fitCall));
  const config = setup.configExpr ? [`config=${setup.configExpr}`] : [];
  insertSetup(ctx, setup, [`wandb.init(${[...initArguments(ctx), ...config].join(', ')})`], 'wandb', 'wandb.init before model.fit');
  mergeIntoList(ctx, fitCall, 'callbacks', 'WandbMetricsLogger()', 'wandb', 'WandbMetricsLogger logs Keras metrics (the legacy WandbCallback is gone)');
  if (ctx.options.checkpoint) {
    ctx.needImport('from wandb.integration.keras import WandbModelCheckpoint', 'wandb.integration.keras');
    mergeIntoList(ctx, fitCall, 'callbacks', `WandbModelCheckpoint(${pyString(`${ctx.options.checkpoint.dir}/wandb.keras`)})`, 'wandb', 'WandbModelCheckpoint saves models as wandb artifacts');
  }
  return null;
}

function planAccelerate(ctx: PlanContext): string | null {
  const construction = callsNamed(ctx, '(?:\\w+\\.)*Accelerator')[0];
  const loop = ctx.handLoop();
  if (!construction || !loop) return 'no Accelerator(...) and training loop found';
  const stmt = statementOf(construction);
  const assigned = unicodeIds(/^\s*(\w+)\s*=/).exec(ctx.text(stmt));
  const acc = assigned ? assigned[1]! : 'accelerator';
  const value = keywordValue(ctx, construction, 'log_with');
  if (!value) addKeyword(ctx, construction, 'log_with="wandb"', 'wandb', 'accelerate tracks through its own wandb integration');
  else replaceKeyword(ctx, value, reportToWith(ctx.text(value)), 'wandb', 'accelerate tracks through its own wandb integration');
  const setup = setupScope(ctx, stmt);
  const config = setup.configExpr ? `, config=${setup.configExpr}` : '';
  ctx.b.insertAfter(stmt, [`${acc}.init_trackers(${pyString(projectName(ctx))}${config})`], 'wandb', 'init_trackers starts the wandb run on the main process');
  placeLoopLog(ctx, loop, `${acc}.log`, null);
  const epoch = epochLoop(ctx, loop).node ?? ctx.loopNode(loop);
  if (epoch) ctx.b.insertAfter(epoch, [`${acc}.end_training()`], 'wandb', 'end_training finishes the trackers');
  return null;
}

/** Hand-written loops: init, log in the loop and after eval calls, finish on every exit. */
function planLoop(ctx: PlanContext, checkpointPath: string | null): string | null {
  const loop = ctx.handLoop();
  if (!loop) return 'no training loop found: nothing to log';
  const loopNode = ctx.loopNode(loop);
  if (!loopNode) return `the training loop at line ${loop.line} could not be located`;
  const epoch = epochLoop(ctx, loop);
  const setup = setupScope(ctx, epoch.node ?? loopNode);
  ctx.needImport('import wandb', 'wandb');
  const rank = rankZeroCondition(ctx, setup.fn);
  if (rank?.needsOs) ctx.needImport('import os', 'os');
  // The guard's rank variable must exist where init goes: after its assignment when that comes later.
  const loopStart = (epoch.node ?? loopNode).startIndex;
  if (rank?.definedBy && rank.definedBy.startIndex < loopStart && (!setup.after || rank.definedBy.startIndex > setup.after.startIndex)) {
    setup.after = rank.definedBy;
    setup.before = null;
  }
  const args = [...initArguments(ctx)];
  if (setup.configExpr) args.push(`config=${setup.configExpr}`);
  if (checkpointPath) args.push(`id=_expkit_checkpoint_run_id(${pyString(checkpointPath)})`, 'resume="allow"');
  const placed = insertSetup(ctx, setup, guarded(rank?.expr ?? null, [`wandb.init(${args.join(', ')})`]), 'wandb', `wandb.init once the configuration is known${rank ? ' (rank 0 only)' : ''}`);
  if (!placed) return 'no place found for wandb.init before the training loop';

  placeLoopLog(ctx, loop, 'wandb.log', loopNode);
  placeEvalLogs(ctx, loop);
  placeFinish(ctx, epoch.node ?? loopNode);
  return null;
}

/** `wandb.log({"train/loss": …, "train/lr": …}, step=…)` right after the optimizer step. */
function placeLoopLog(ctx: PlanContext, loop: TrainLoop, logFn: string, loopNode: SyntaxNode | null): void {
  const step = [...loop.stepMarkers].reverse().find((m) => m.kind === 'optimizer-step');
  const backward = loop.stepMarkers.find((m) => m.kind === 'backward');
  const anchor = step ? ctx.statementAt(step.line) : backward ? ctx.statementAt(backward.line) : null;
  if (!anchor) {
    ctx.warnings.push(`wandb: no optimizer step to log after in the loop at line ${loop.line}`);
    return;
  }
  const metrics: string[] = [];
  const loss = backward ? lossName(backward.text) : null;
  if (loss) metrics.push(`"train/loss": ${loss}.item()`);
  const opt = step ? optimizerName(step.text) : null;
  if (opt && !/apply_gradients/.test(step!.text)) metrics.push(`"train/lr": ${opt}.param_groups[0]["lr"]`);
  if (metrics.length === 0) {
    ctx.warnings.push(`wandb: no loss variable found at line ${backward?.line ?? loop.line}; nothing logged in the loop`);
    return;
  }
  const node = loopNode ?? ctx.loopNode(loop);
  const counter = node ? stepCounter(ctx, node, !loop.outer) : null;
  const stepArg = counter ? `, step=${counter}` : '';
  const fn = ctx.functionAround(anchor);
  const rank = logFn === 'wandb.log' ? rankZeroCondition(ctx, fn) : null;
  if (rank?.needsOs) ctx.needImport('import os', 'os');
  ctx.b.insertAfter(anchor, guarded(rank?.expr ?? null, [`${logFn}({${metrics.join(', ')}}${stepArg})`]), 'wandb', `log the loss${opt ? ' and learning rate' : ''} after each optimizer step${counter ? ` at step ${counter}` : ''}`);
}

/** `x = evaluate(...)` → log `eval/x` right after it. */
function placeEvalLogs(ctx: PlanContext, loop: TrainLoop): void {
  for (const point of ctx.analysis.evalPoints) {
    if (point.kind !== 'eval-call') continue;
    const stmt = ctx.statementAt(point.line);
    const assign = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    if (!stmt || assign?.type !== 'assignment' || assign.childForFieldName('right')?.type !== 'call') continue;
    const left = assign.childForFieldName('left')!;
    const names = (left.type === 'identifier' ? [left] : left.namedChildren).filter((n) => n.type === 'identifier').map((n) => ctx.text(n));
    if (names.length === 0 || names.length !== (left.type === 'identifier' ? 1 : left.namedChildren.length)) continue;
    const fn = ctx.functionAround(stmt);
    if (fn && ctx.analysis.evalPoints.some((p) => p.kind === 'eval-function' && p.line === lineAt(ctx.src, fn.startIndex))) continue;
    const rank = rankZeroCondition(ctx, fn);
    const metrics = names.map((n) => `"eval/${n}": ${n}`).join(', ');
    ctx.b.insertAfter(stmt, guarded(rank?.expr ?? null, [`wandb.log({${metrics}})`]), 'wandb', `log the evaluation result${names.length > 1 ? 's' : ''} of line ${point.line}`);
  }
  void loop;
}

/** wandb.finish() on every exit of the entry function: its call wrapped in try/finally. */
function placeFinish(ctx: PlanContext, loopStatement: SyntaxNode): void {
  const x = ctx.analysis.exitPoints;
  const finish = ['if wandb.run is not None:', '    wandb.finish()'];
  const call = x.mainFunction ? entryCallStatement(ctx, x.mainFunction) : null;
  if (call) {
    wrapInTryFinally(ctx, call, finish, 'finish the run on every exit of the entry function: return, sys.exit, exceptions');
    return;
  }
  let top = loopStatement;
  while (top.parent && top.parent.type !== 'module' && top.parent.type !== 'block') top = top.parent;
  ctx.b.insertAfter(top, finish, 'wandb', 'finish the run after training (module-level script)');
  ctx.warnings.push('wandb: module-level script without an entry function; wandb.finish() runs after the training loop, and wandb closes the run itself on an exception');
}

/** The statement that calls the entry function: in the __main__ guard, else at module level. */
function entryCallStatement(ctx: PlanContext, entry: string): SyntaxNode | null {
  const x = ctx.analysis.exitPoints;
  const candidates = x.mainGuardLine ? ctx.bodyStatements(ctx.statementAt(x.mainGuardLine)!) : ctx.root.namedChildren;
  const callsEntry = new RegExp(`(?<![\\w.])${entry}\\s*[()]|\\b(Fire|run)\\(\\s*${entry}\\b`);
  // `main()`, `sys.exit(main())`, `raise SystemExit(main())`, `fire.Fire(main)`.
  return candidates.find((s) => (s.type === 'expression_statement' || s.type === 'raise_statement') && callsEntry.test(ctx.text(s))) ?? null;
}

function wrapInTryFinally(ctx: PlanContext, stmt: SyntaxNode, finallyLines: string[], reason: string): void {
  const indent = ctx.b.indentOf(stmt);
  const first = lineAt(ctx.src, stmt.startIndex);
  const last = lineAt(ctx.src, stmt.endIndex - 1);
  // `try:` as a line of its own, then one more level of indentation for each line of the statement
  // (the user's code, moved: no marker). Same-place insertions are joined in this order later.
  ctx.b.insertText(ctx.b.lineStart(first), ctx.b.block(['try:'], indent), 'wandb', reason);
  for (let l = first; l <= last; l++) ctx.b.insertText(ctx.b.lineStart(l), ctx.b.unit, 'wandb', reason);
  ctx.b.insertAfter(stmt, ['finally:', ...finallyLines.map((l) => `    ${l}`)], 'wandb', reason, indent);
}
