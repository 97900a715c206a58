/**
 * Hand-written training loops: wandb.init once the configuration is known, wandb.log after the
 * optimizer step and evaluation calls, wandb.finish on every exit; seeding before the loop;
 * atomic checkpoints of model, optimizer, progress and RNG state every N epochs (or steps) with
 * resume from the latest. Other integrations reuse parts of it (accelerate's loop is hand-written).
 */
import { basename } from 'node:path';
import type { SyntaxNode } from '../../parser/index.js';
import { isAncestor, positionalArguments, statementOf } from '../../analyze/syntax.js';
import type { TrainLoop } from '../../analyze/types.js';
import { lineAt, lineText } from '../../core/source-text.js';
import { EXPKIT_MARKER } from '../types.js';
import { addKeyword, keywordValue } from '../planning/call-edits.js';
import { pyString } from '../../core/quote.js';
import { assignedFrom, classAssigns, companionModels, classTrainerCall, epochLoop, isSpawned, lossNames, modelName, optimizerName, rankZeroCondition, setupScope, stepCounter } from '../planning/anchors.js';
import { addArgument, argsName, existingArgument } from '../planning/cli-args.js';
import type { PlanContext } from '../planning/context.js';
import { unicodeIds } from '../planning/identifiers.js';
import { CHECKPOINT_DUE, SAVED_AT, torchCheckpoint } from '../../python-library/checkpoint.js';
import { boundOnlySometimes, carriedNames, runsOnEveryPathTo } from '../planning/carried-state.js';
import type { ImportBinding } from '../planning/syntax-index.js';
import { instrumentLines } from '../../python-library/definition.js';
import { RUN_IDENTITY } from '../../python-library/run-identity.js';
import { seedEverything } from '../../python-library/seeding.js';
import { FINISH_AT_EXIT, FINISH_WANDB_AT_EXIT } from '../../python-library/wandb.js';
import { SEED_DESTS, seedValue } from '../planning/seed-value.js';
import { guarded, insertSetup } from '../planning/setup.js';
import { initArguments } from '../planning/wandb-args.js';
import type { Integration } from './types.js';

export const handLoop: Integration = {
  name: 'hand-loop',
  matches: () => true,
  wandb: (ctx) => planWandb(ctx, placeLoopLog),
  seed: (ctx) => planSeed(ctx),
  checkpoint: (ctx) => planCheckpoint(ctx),
  seedAll: (ctx, value) => (ctx.analysis.framework.name === 'pytorch' ? [seedEverythingCall(ctx, value)] : []),
};

// ---------------------------------------------------------------- wandb

/**
 * Why a script without a training loop of its own gets nothing: a trainer from another module
 * (`mingpt.trainer.Trainer(...).run()`) runs the loop there, and the script reaches it only
 * through its callbacks.
 */
function noLoopReason(ctx: PlanContext, what: string): string {
  const lib = ctx.analysis.framework.libraryTrainer;
  if (!lib) {
    const elsewhere = loopElsewhere(ctx);
    return elsewhere
      ? `no training loop in this script: it trains through ${elsewhere.call} (line ${elsewhere.line}) from the project's ${elsewhere.module}; instrument that file instead (${what} here)`
      : `no training loop found: ${what}`;
  }
  const hooks = lib.callbacks.map((c) => `${c.method}(${c.event ? `"${c.event}", ` : ''}${c.callback ?? '…'}) at line ${c.line}`).join(', ');
  return `the training loop lives in ${lib.module} (${lib.callee}, run at line ${lib.runLine}), not in this script${hooks ? `; it calls back into the script through ${hooks}: add the change there` : ''}`;
}

/** Libraries whose functions are not where a project's own training loop lives. */
const LIBRARY_ROOTS = new Set(['torch', 'numpy', 'os', 'sys', 'time', 'math', 'random', 'json', 'argparse', 'logging', 'functools', 'itertools', 'collections', 'multiprocessing', 'jax', 'flax', 'optax', 'tensorflow', 'keras', 'sklearn', 'transformers', 'datasets', 'accelerate', 'lightning', 'pytorch_lightning', 'trl', 'peft', 'hydra', 'omegaconf', 'absl', 'ml_collections', 'wandb', 'tqdm', 'torchvision', 'timm']);

/** The names the script imports from its own project's modules (not from a library), by name. */
function projectImports(ctx: PlanContext): Map<string, ImportBinding> {
  return new Map(ctx.syntax.imports.filter((i) => !LIBRARY_ROOTS.has(i.module.split('.')[0]!) && i.module !== '__future__').map((i) => [i.name, i]));
}

/**
 * An entry point whose loop lives in another module of the project: a call of a function imported
 * from it whose name says it trains (`train.train_and_evaluate(config, workdir)`, `train_one_epoch(…)`,
 * `TrainLoop(…).run_loop()`, `mp.Process(target=train)`). Null when there is none.
 */
function loopElsewhere(ctx: PlanContext): { module: string; call: string; line: number } | null {
  const TRAINS = /train|fit|run_loop|loop/i;
  const byName = projectImports(ctx);
  for (const { node, callee } of ctx.syntax.calls) {
    const head = callee.split(/[.(]/)[0]!;
    const binding = byName.get(head);
    const last = callee.split('.').pop()!;
    const target = node.childForFieldName('arguments')?.namedChildren.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'target')?.childForFieldName('value');
    const passed = target ? byName.get(ctx.text(target)) : undefined;
    if (passed && TRAINS.test(ctx.text(target!))) return { module: passed.module, call: `${callee}(target=${ctx.text(target!)})`, line: lineAt(ctx.src, node.startIndex) };
    const shown = callee.includes('(') ? `${head}(…).${last}` : callee;
    if (binding && (TRAINS.test(last) || TRAINS.test(callee))) return { module: binding.module, call: `${shown}(…)`, line: lineAt(ctx.src, node.startIndex) };
  }
  return null;
}

/**
 * The epoch loop of a script whose per-epoch training lives in another project module (DeiT, MAE,
 * BEiT, ConvNeXt: `for epoch in …: train_stats = train_one_epoch(model, criterion, loader, optimizer, …)`
 * with `train_one_epoch` from engine.py). The loop is the script's; only the steps are elsewhere:
 * wandb logs what the call returns each epoch, and the checkpoint holds the model and the optimizers
 * handed to it. Null when the script has no such loop.
 */
export interface ImportedEpochLoop {
  loop: TrainLoop;
  node: SyntaxNode;
  /** The statement that calls the imported epoch function. */
  call: SyntaxNode;
  /** The name its result is assigned to, or null. */
  stats: string | null;
  /** Optimizers passed to it (`optimizer`), built in the script. */
  optimizers: string[];
}

export function importedEpochLoop(ctx: PlanContext): ImportedEpochLoop | null {
  const project = projectImports(ctx);
  for (const { node: call, callee } of ctx.syntax.calls) {
    if (!project.has(callee.split('.')[0]!) || !/train/i.test(callee.split('.').pop()!)) continue;
    let loopNode: SyntaxNode | null = null;
    for (let p = call.parent; p && p.type !== 'function_definition'; p = p.parent) if (p.type === 'for_statement') loopNode = p;
    if (!loopNode) continue;
    const stmt = statementOf(call);
    const expr = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    const left = expr?.type === 'assignment' && expr.childForFieldName('right')?.id === call.id ? expr.childForFieldName('left') : null;
    const fn = ctx.functionAround(loopNode);
    const args = callArgumentsText(ctx, call);
    const optimizers = args.filter((a) => /optim/i.test(a) && /^[A-Za-z_]\w*$/.test(a));
    const line = lineAt(ctx.src, loopNode.startIndex);
    const loop: TrainLoop = {
      kind: 'for',
      line,
      endLine: lineAt(ctx.src, loopNode.endIndex - 1),
      function: fn ? (fn.childForFieldName('name')?.text ?? null) : null,
      stepMarkers: [],
      outer: null,
      via: [],
      className: null,
      methods: [],
    };
    return { loop, node: loopNode, call: stmt, stats: left?.type === 'identifier' ? ctx.text(left) : null, optimizers };
  }
  return null;
}

/** The plain names and attributes passed to a call, positional and keyword values. */
function callArgumentsText(ctx: PlanContext, call: SyntaxNode): string[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).map((a) => ctx.text(a.type === 'keyword_argument' ? (a.childForFieldName('value') ?? a) : a));
}

/** After the imported epoch function: what it returned, under train/, at the epoch. */
function placeImportedEpochLog(ctx: PlanContext, found: ImportedEpochLoop): string | null {
  const target = found.node.childForFieldName('left');
  const step = target?.type === 'identifier' ? ctx.text(target) : null;
  const stepArg = step ? `, step=${step}` : '';
  if (!found.stats) {
    ctx.warnings.push(`wandb: ${lineAt(ctx.src, found.call.startIndex)}: the epoch function returns nothing the script keeps; nothing logged per epoch`);
    return step;
  }
  const s = found.stats;
  const rank = rankZeroCondition(ctx, ctx.functionAround(found.call));
  if (rank?.needsOs) ctx.needImport('import os', 'os');
  ctx.b.insertAfter(found.call, guarded(rank?.expr ?? null, [`wandb.log({f"train/{k}": v for k, v in (${s}.items() if isinstance(${s}, dict) else [("loss", ${s})])}${stepArg})`]), 'wandb', `log what the epoch function returns, each epoch${step ? ` at step ${step}` : ''}`);
  return step;
}

/** Places the per-step log; returns the step expression it logs at, or null when it placed none. */
export type LogPlacer = (ctx: PlanContext, loop: TrainLoop, logFn: string, loopNode: SyntaxNode | null) => string | null;

/** wandb.init after the configuration, a log per step (`placeLog`), eval logs, wandb.finish on every exit. */
export function planWandb(ctx: PlanContext, placeLog: LogPlacer): string | null {
  const imported = ctx.handLoop() ? null : importedEpochLoop(ctx);
  const loop = ctx.handLoop() ?? imported?.loop ?? null;
  if (!loop) return noLoopReason(ctx, 'nothing to log');
  const loopNode = ctx.loopNode(loop);
  if (!loopNode) return `the training loop at line ${loop.line} could not be located`;
  const epoch = epochLoop(ctx, loop);
  const anchor = classTrainerCall(ctx, loop) ?? epoch.node ?? loopNode;
  const setup = setupScope(ctx, anchor);
  ctx.needImport('import wandb', 'wandb');
  const rank = rankZeroCondition(ctx, setup.fn);
  if (rank?.needsOs) ctx.needImport('import os', 'os');
  // The guard's rank variable must exist where init goes: after its assignment when that comes later.
  const loopStart = anchor.startIndex;
  if (rank?.definedBy && rank.definedBy.startIndex < loopStart && (!setup.after || rank.definedBy.startIndex > setup.after.startIndex)) {
    setup.after = rank.definedBy;
    setup.before = null;
  }
  const args = [...initArguments(ctx)];
  const config = setup.configExpr ?? parameterConfig(ctx, setup);
  if (config) args.push(`config=${config}`);
  const checkpointFile = ctx.facts.resumableCheckpoint ? checkpointFileCall(ctx, setup.configExpr) : earlierCheckpointFileCall(ctx, setup.configExpr);
  if (checkpointFile) args.push(`id=_expkit_checkpoint_run_id(${checkpointFile})`, 'resume="allow"');
  // Without an entry call to wrap in try/finally (module-level script, a process mp.spawn starts),
  // the finish is registered right after init: it then runs after the last log, on every exit.
  const entryCall = ctx.analysis.exitPoints.mainFunction ? entryCallStatement(ctx, ctx.analysis.exitPoints.mainFunction) : null;
  const finishAtExit = !entryCall || (setup.fn !== null && isSpawned(ctx, setup.fn));
  if (finishAtExit) ctx.helpers.set(FINISH_AT_EXIT, instrumentLines(FINISH_WANDB_AT_EXIT));
  const initLines = [`wandb.init(${args.join(', ')})`, ...(finishAtExit ? [`${FINISH_AT_EXIT}()`] : [])];
  const placed = insertSetup(ctx, setup, guarded(rank?.expr ?? null, initLines), 'wandb', `wandb.init once the configuration is known${rank ? ' (rank 0 only)' : ''}${finishAtExit ? ', and wandb.finish registered for every exit (normal end, exception, Ctrl-C, SIGTERM)' : ''}`);
  if (!placed) return 'no place found for wandb.init before the training loop';

  const step = imported ? placeImportedEpochLog(ctx, imported) : placeLog(ctx, loop, 'wandb.log', loopNode);
  placeEvalLogs(ctx, step);
  if (entryCall && !finishAtExit) wrapInTryFinally(ctx, entryCall, ['if wandb.run is not None:', '    wandb.finish()'], 'finish the run on every exit of the entry function: return, sys.exit, exceptions');
  return null;
}

/**
 * `wandb.log({"train/loss": …, "train/lr": …}, step=…)` once per iteration, after the last
 * optimizer step (after the whole if/else when only one branch steps). Returns the step
 * expression it logs at (the loop's counter, or the global step expkit keeps), null when it
 * placed nothing.
 */
export function placeLoopLog(ctx: PlanContext, loop: TrainLoop, logFn: string, loopNode: SyntaxNode | null): string | null {
  const step = [...loop.stepMarkers].reverse().find((m) => m.kind === 'optimizer-step');
  const backward = loop.stepMarkers.find((m) => m.kind === 'backward');
  const stepStatement = step ? ctx.statementAt(step.line) : null;
  const marked = stepStatement ?? (backward ? ctx.statementAt(backward.line) : null);
  if (!marked) {
    ctx.warnings.push(`wandb: no optimizer step to log after in the loop at line ${loop.line}`);
    return null;
  }
  const anchor = afterOptionalStep(ctx, loop, afterBranches(marked, loopNode ?? ctx.loopNode(loop)), loopNode ?? ctx.loopNode(loop));
  const metrics = loopMetrics(ctx, loop, anchor, stepStatement, loopNode ?? ctx.loopNode(loop));
  const opt = metrics.some((m) => m.startsWith('"train/lr'));
  if (metrics.length === 0) {
    ctx.warnings.push(`wandb: no loss variable found at line ${backward?.line ?? loop.line}; nothing logged in the loop`);
    return null;
  }
  const node = loopNode ?? ctx.loopNode(loop);
  // `for i in range(…)` counts steps only when it is the outermost loop: inside an epoch loop it restarts every epoch.
  const topLevel = !loop.outer && epochLoop(ctx, loop).node?.id === node?.id;
  const counter = node ? stepCounter(ctx, node, topLevel) : null;
  const fn = ctx.functionAround(anchor);
  const rank = logFn === 'wandb.log' ? rankZeroCondition(ctx, fn) : null;
  if (rank?.needsOs) ctx.needImport('import os', 'os');
  // Without a counter of its own, the loop gets a global step the patch keeps (and a checkpoint
  // saves), so a resumed run continues its steps instead of starting again at 0.
  const keepStep = counter === null;
  if (keepStep) ctx.addPreamble(['_expkit_state = {"step": 0}'], 'the global step expkit keeps for the loop (saved with a checkpoint)');
  const stepExpr = counter ?? '_expkit_state["step"]';
  const lines = [...(keepStep ? ['_expkit_state["step"] += 1'] : []), ...guarded(rank?.expr ?? null, [`${logFn}({${metrics.join(', ')}}, step=${stepExpr})`])];
  ctx.b.insertAfter(anchor, lines, 'wandb', `log the loss${opt ? ' and learning rate' : ''} after each optimizer step at step ${counter ?? 'the global step expkit keeps'}`);
  return stepExpr;
}

/**
 * The statement to log after: an optimizer step in one branch of an if/else (the other branch
 * updates by hand) is followed by the whole if statement, so every path logs. A step under an
 * `if` without else (gradient accumulation) stays where it is: that branch is the step.
 */
function afterBranches(stmt: SyntaxNode, loopNode: SyntaxNode | null): SyntaxNode {
  let s = stmt;
  for (;;) {
    const block = s.parent;
    const clause = block?.parent;
    const ifStmt = clause?.type === 'if_statement' ? clause : clause?.type === 'else_clause' || clause?.type === 'elif_clause' ? clause.parent : null;
    if (block?.type !== 'block' || !ifStmt || ifStmt.type !== 'if_statement') return s;
    if (!ifStmt.namedChildren.some((c) => c.type === 'else_clause')) return s;
    if (loopNode && !(ifStmt.startIndex > loopNode.startIndex && ifStmt.endIndex <= loopNode.endIndex)) return s;
    s = ifStmt;
  }
}

/**
 * A last optimizer step that runs only sometimes (`if args.autotune: a_optimizer.step()`) after
 * one that always runs: the log goes after that `if`, so every iteration logs. (A step alone under
 * an `if` is gradient accumulation: that branch is the step, and the log stays in it.)
 */
function afterOptionalStep(ctx: PlanContext, loop: TrainLoop, anchor: SyntaxNode, loopNode: SyntaxNode | null): SyntaxNode {
  if (!loopNode) return anchor;
  let optional: SyntaxNode | null = null;
  for (let p = anchor.parent; p && p.id !== loopNode.id; p = p.parent) if (p.type === 'if_statement') optional = p;
  if (!optional) return anchor;
  const always = loop.stepMarkers.some((m) => {
    const stmt = m.kind === 'optimizer-step' ? ctx.statementAt(m.line) : null;
    return stmt !== null && isAncestor(loopNode, stmt) && !isAncestor(optional!, stmt) && ctx.functionAround(stmt)?.id === ctx.functionAround(anchor)?.id;
  });
  return always ? optional : anchor;
}

/**
 * Whether `name` holds a value wherever the log goes: not built only on some paths before the loop
 * (`if args.autotune: a_optimizer = …`), and, when the loop assigns it, assigned by a statement every
 * path to the log runs (not only inside an `if` the log comes after).
 */
function readableAt(ctx: PlanContext, name: string, anchor: SyntaxNode, loopNode: SyntaxNode | null): boolean {
  if (!loopNode || !/^[A-Za-z_]\w*$/.test(name)) return true;
  const scope = ctx.functionAround(anchor);
  if (boundOnlySometimes(ctx, name, loopNode, scope)) return false;
  const inLoop = ctx.assignmentsIn(scope, name).filter((a) => isAncestor(loopNode, a) && a.startIndex < anchor.endIndex);
  return inLoop.length === 0 || inLoop.some((a) => runsOnEveryPathTo(a, anchor));
}

/**
 * What the loop logs: each loss that is back-propagated (`train/loss` when there is one, else
 * `train/<name>` for each: a GAN's `errD_real`, `errG`) and each stepped optimizer's learning rate
 * (`train/lr`, or `train/lr_<name>`). Only names readable where the log goes count: a loss
 * computed in a closure handed to `optimizer.step(closure)` (L-BFGS) is logged as the value the
 * step returns, which the step statement is changed to keep.
 */
function loopMetrics(ctx: PlanContext, loop: TrainLoop, anchor: SyntaxNode, stepStatement: SyntaxNode | null, loopNode: SyntaxNode | null): string[] {
  const scope = ctx.functionAround(anchor);
  const sameScope = (line: number) => {
    const stmt = ctx.statementAt(line);
    const fn = stmt ? ctx.functionAround(stmt) : null;
    return stmt !== null && (fn === null ? scope === null : scope !== null && fn.id === scope.id);
  };
  const markers = (kind: 'backward' | 'optimizer-step') => loop.stepMarkers.filter((m) => m.kind === kind);
  // A backward in a local helper (`def _backward(loss): loss.backward()`) counts when its loss name is bound here too.
  const nestedHere = (line: number) => {
    const stmt = ctx.statementAt(line);
    const fn = stmt ? ctx.functionAround(stmt) : null;
    return scope !== null && fn !== null && fn.id !== scope.id && fn.startIndex > scope.startIndex && fn.endIndex <= scope.endIndex;
  };
  const losses = unique(
    markers('backward').flatMap((m) => (sameScope(m.line) ? lossNames(m.text) : nestedHere(m.line) ? lossNames(m.text).filter((n) => ctx.definesName(scope, n)) : [])),
  ).filter((n) => readableAt(ctx, n, anchor, loopNode));
  const optimizers = unique(markers('optimizer-step').filter((m) => sameScope(m.line) && !/apply_gradients/.test(m.text)).map((m) => optimizerName(m.text)).filter((n): n is string => n !== null)).filter((n) => readableAt(ctx, n, anchor, loopNode));
  const metrics: string[] = [];
  if (losses.length === 0 && stepStatement && markers('backward').length > 0) {
    const kept = closureLoss(ctx, stepStatement);
    if (kept) metrics.push(`"train/loss": float(${kept})`);
  }
  const key = (name: string) => name.split('.').pop()!;
  for (const loss of losses) metrics.push(`"train/${losses.length === 1 ? 'loss' : key(loss)}": ${unscaledLoss(ctx, scope, loss)}`);
  for (const opt of optimizers) metrics.push(`"train/${optimizers.length === 1 ? 'lr' : `lr_${key(opt)}`}": ${opt}.param_groups[0]["lr"]`);
  return metrics;
}

/**
 * `optimizer.step(closure)` returns the loss the closure computed: keep it in a name the log can
 * read (`_expkit_loss = optimizer.step(closure)`, or the name the script already assigns it to).
 */
function closureLoss(ctx: PlanContext, stepStatement: SyntaxNode): string | null {
  const expr = stepStatement.type === 'expression_statement' ? stepStatement.namedChildren[0] : null;
  if (expr?.type === 'assignment') {
    const left = expr.childForFieldName('left');
    const right = expr.childForFieldName('right');
    return left?.type === 'identifier' && right?.type === 'call' && positionalArguments(right).length > 0 ? left.text : null;
  }
  if (expr?.type !== 'call' || positionalArguments(expr).length === 0) return null;
  ctx.b.insertText(stepStatement.startIndex, '_expkit_loss = ', 'wandb', 'keep the loss optimizer.step(closure) returns, to log it');
  return '_expkit_loss';
}

/**
 * The loss as the model computed it: gradient accumulation divides it before backward
 * (`loss = loss / gradient_accumulation_steps`, `loss /= accum`), so the log multiplies it back.
 */
function unscaledLoss(ctx: PlanContext, scope: SyntaxNode | null, loss: string): string {
  const text = scope ? ctx.text(scope) : ctx.moduleLevelText();
  const name = loss.replace(/[.]/g, '\\.');
  const m = unicodeIds(new RegExp(`^[ \\t]*${name}\\s*(?:=\\s*${name}\\s*/|/=)\\s*([\\w.]+)\\s*$`, 'm')).exec(text);
  return m ? `${loss}.item() * ${m[1]}` : `${loss}.item()`;
}

export function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/**
 * `x = evaluate(...)` → log `eval/x` right after it, at the training step it follows when that
 * step is in scope there (so it lands in that step's row, never at a step of its own).
 */
function placeEvalLogs(ctx: PlanContext, step: string | null): void {
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
    const inScope = step !== null && (step.startsWith('_expkit_state') || ctx.definesName(fn, step));
    const stepArg = inScope ? `, step=${step}` : '';
    ctx.b.insertAfter(stmt, guarded(rank?.expr ?? null, [`wandb.log({${metrics}}${stepArg})`]), 'wandb', `log the evaluation result${names.length > 1 ? 's' : ''} of line ${point.line}`);
  }
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

/**
 * The configuration of an entry function that receives it as parameters (`main(rank, world_size,
 * epochs, batch_size)` started by mp.spawn, `train(lr=…, epochs=…)` driven by fire): a dict of
 * them, when set-up code goes at the top of that function. The process's rank is no configuration.
 */
function parameterConfig(ctx: PlanContext, setup: ReturnType<typeof setupScope>): string | null {
  if (!setup.fn || !setup.before || setup.before.id !== ctx.firstBodyStatement(setup.fn)?.id) return null;
  const params = ctx.parameterNames(setup.fn).filter((p) => !/^(self|cls|rank|local_rank|global_rank|gpu|gpu_id|device|world_rank)$/.test(p) && !p.startsWith('*'));
  return params.length ? `{${params.map((p) => `${pyString(p)}: ${p}`).join(', ')}}` : null;
}

// ---------------------------------------------------------------- seed

/** `_expkit_seed_everything(ARGS)`, with the helper (NumPy seeded too when the script imports it). */
export function seedEverythingCall(ctx: PlanContext, args: string): string {
  const withNumpy = (ctx.analysis.imports?.modules ?? []).some((m) => m === 'numpy' || m.startsWith('numpy.'));
  ctx.needHelper('_expkit_seed_everything', instrumentLines(seedEverything(withNumpy)));
  return `_expkit_seed_everything(${args})`;
}

function planSeed(ctx: PlanContext): string | null {
  const opts = ctx.options.seed!;
  const loop = ctx.handLoop();
  // A loop in another module of the project still runs after this script builds the model and data:
  // seeding goes before those, where the script hands over to that module.
  const elsewhere = loop ? null : loopElsewhere(ctx);
  if (!loop && !elsewhere) return noLoopReason(ctx, 'nothing to seed before');
  const setup = setupScope(ctx, loop ? (classTrainerCall(ctx, loop) ?? epochLoop(ctx, loop).node) : ctx.statementAt(elsewhere!.line));
  const deterministic = opts.deterministic ? ', deterministic=True' : '';
  if (setup.fn === null && !setup.after) {
    // Module-level script: seed right after the imports, before anything draws random numbers.
    ctx.addPreamble([seedEverythingCall(ctx, `${moduleSeed(ctx, opts.value)}${deterministic}`)], 'seed everything right after the imports, before anything draws random numbers');
    return null;
  }
  const value = seedValue(ctx, setup, opts.value);
  const relayed = value === String(opts.value) ? relaySeed(ctx, setup, opts.value) : null;
  if (!insertSetup(ctx, setup, [seedEverythingCall(ctx, `${relayed ?? value}${deterministic}`)], 'seed', `seed everything (${opts.value}) once the configuration is known`)) return 'no place found before the training loop';
  return null;
}

/**
 * Seeding happens where the parsed arguments are out of reach (a worker function mp.spawn starts,
 * a trainer built elsewhere), yet the script parses its command line: `--seed` still reaches the
 * seed, through the environment, which spawned and launched processes inherit. Returns the seed
 * expression, or null when there is nothing to relay from.
 */
function relaySeed(ctx: PlanContext, setup: ReturnType<typeof setupScope>, value: number): string | null {
  const c = ctx.analysis.config;
  const parse = c.parseLine ? ctx.statementAt(c.parseLine) : null;
  if (c.kind !== 'argparse' || !parse || !c.argsVar || !/^\s*\w+\s*=/.test(ctx.text(parse))) return null;
  if (setup.fn && parse.startIndex >= setup.fn.startIndex && parse.endIndex <= setup.fn.endIndex) return null;
  const dest = existingArgument(ctx, SEED_DESTS) ?? (addArgument(ctx, `"--seed", type=int, default=${value}, help=${pyString('random seed (added by expkit)')}`, 'seed', 'a --seed argument for the seed') ? 'seed' : null);
  if (!dest) return null;
  ctx.needImport('import os', 'os');
  ctx.b.insertAfter(parse, [`os.environ["EXPKIT_SEED"] = str(${c.argsVar}.${dest})`], 'seed', 'hand the seed to the processes that train (they inherit the environment)');
  return `int(os.environ.get("EXPKIT_SEED", ${pyString(String(value))}))`;
}

function moduleSeed(ctx: PlanContext, value: number): string {
  return ctx.moduleStatementAssigning('SEED') ? 'SEED' : String(value);
}

// ---------------------------------------------------------------- checkpoint

const SCHEDULERS = /(?:lr_scheduler\.)?\w*(?:LR|Scheduler|Annealing\w*|OneCycle\w*)|get_\w*schedule\w*/;

/** The checkpoint folder and the script's name in it: `DIR/<script>/<seed>-<fingerprint>/last.pt` at run time. */
export function checkpointLocation(ctx: PlanContext): { dir: string; script: string } {
  const script = basename(ctx.analysis.file).replace(/\.py$/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'train';
  return { dir: ctx.options.checkpoint!.dir.replace(/\/+$/, '') || '.', script };
}

/**
 * `_expkit_run_dir("DIR", "script", config)`: this run's folder, for frameworks that write their own
 * checkpoints there (Lightning, Keras). Without `configExpr` the fingerprint is the command line's.
 */
export function runDirCall(ctx: PlanContext, configExpr?: string | null): string {
  const { dir, script } = checkpointLocation(ctx);
  return `_expkit_run_dir(${pyString(dir)}, ${pyString(script)}${configExpr === undefined ? '' : `, ${configExpr ?? 'None'}`})`;
}

/** `_expkit_checkpoint_file("DIR", "script", config)`: this run's checkpoint path (helpers in python-library/run-identity.ts). */
export function checkpointFileCall(ctx: PlanContext, configExpr: string | null): string {
  const { dir, script } = checkpointLocation(ctx);
  return `_expkit_checkpoint_file(${pyString(dir)}, ${pyString(script)}, ${configExpr ?? 'None'})`;
}

/**
 * A checkpoint patch applied in an earlier layer: the same `_expkit_checkpoint_file(DIR, SCRIPT, …)`
 * call, so wandb continues the run that checkpoint stored. Null when there is none.
 */
function earlierCheckpointFileCall(ctx: PlanContext, configExpr: string | null): string | null {
  if (!ctx.syntax.functions.has('_expkit_checkpoint_run_id')) return null;
  const call = ctx.callsTo('_expkit_checkpoint_file').find((c) => positionalArguments(c).length >= 2);
  if (!call) return null;
  const [dir, script] = positionalArguments(call);
  return `_expkit_checkpoint_file(${ctx.text(dir!)}, ${ctx.text(script!)}, ${configExpr ?? 'None'})`;
}

/**
 * A wandb patch applied in an earlier layer: its `wandb.init(` (a line expkit marked) learns to
 * continue the run this checkpoint stores.
 */
function linkExpkitWandbInit(ctx: PlanContext): void {
  if (!ctx.analysis.existing.wandb.present) return;
  for (const call of ctx.callsTo('wandb\\.init')) {
    if (!lineText(ctx.src, lineAt(ctx.src, call.startIndex)).includes(EXPKIT_MARKER) || keywordValue(ctx, call, 'id')) continue;
    const config = keywordValue(ctx, call, 'config');
    addKeyword(ctx, call, `id=_expkit_checkpoint_run_id(${checkpointFileCall(ctx, config ? ctx.text(config) : null)}), resume="allow"`, 'checkpoint', 'continue the wandb run this checkpoint stores');
  }
}

/**
 * The reason to leave checkpointing to the script when it already saves and resumes training
 * state; null otherwise. A weights export (a final `torch.save(model.state_dict(), …)`), or saves
 * the script never restores training state from, do not survive a preemption: expkit adds its own
 * and says so.
 */
export function ownResume(ctx: PlanContext): string | null {
  const own = ctx.analysis.existing.checkpoint;
  const lines = own.lines.join(', ');
  const earlier = ctx.callsTo('_expkit_resume')[0];
  if (earlier) return `the script already saves and resumes checkpoints (an earlier expkit layer, line ${lineAt(ctx.src, earlier.startIndex)})`;
  if (own.kind === 'resumable' && own.resumes) return `the script already saves and resumes checkpoints (line ${lines})`;
  if (own.present) ctx.warnings.push(`the script's own saves (line ${lines}) are kept; they never restore training state, so expkit adds per-run checkpoints a rerun resumes from`);
  return null;
}

/** Optimizers (`X = torch.optim.Adam(…)`, `optim.SGD(…)`) whose `X.step()` runs inside `node`. */
function optimizersSteppedIn(ctx: PlanContext, node: SyntaxNode, scope: SyntaxNode | null): string[] {
  const BUILT = /^(?:[\w.]*optim\.)?(?:Adam\w*|SGD|RMSprop|Adagrad|Adadelta|Adamax|LBFGS|NAdam|RAdam|Lion|Adafactor)\s*\(/;
  const out: string[] = [];
  for (const call of ctx.callsTo('(?:\\w+\\.)+step')) {
    if (!isAncestor(node, call) || positionalArguments(call).length > 0) continue;
    const receiver = ctx.text(call.childForFieldName('function')!).replace(/\s+/g, '').slice(0, -'.step'.length);
    const built = [...ctx.assignmentsIn(scope, receiver), ...(scope ? ctx.assignmentsIn(null, receiver) : [])].some((a) => BUILT.test(ctx.text(a.childForFieldName('right') ?? a)));
    if (built && !out.includes(receiver)) out.push(receiver);
  }
  return out;
}

/** Resume before the epoch loop, skip done epochs, save every N and at the end. */
function planCheckpoint(ctx: PlanContext): string | null {
  const a = ctx.analysis;
  const own = ownResume(ctx);
  if (own) return own;
  const imported = ctx.handLoop() ? null : importedEpochLoop(ctx);
  const loop = ctx.handLoop() ?? imported?.loop ?? null;
  if (!loop) return noLoopReason(ctx, 'nothing to checkpoint');
  const epoch = imported ? { node: imported.node, fn: ctx.functionAround(imported.node) } : epochLoop(ctx, loop);
  const node = epoch.node;
  if (!node) return `the training loop at line ${loop.line} could not be located`;
  const scope = epoch.fn;
  const defined = (n: string | null): n is string => n !== null && (ctx.definesName(scope, n) || ctx.definesName(null, n) || classAssigns(ctx, scope, n));
  // Every optimizer the loop steps, with the model it trains (a GAN: netD/optimizerD and netG/optimizerG).
  // Also those stepped elsewhere in the checkpointed loop (SAC's critic update beside the delayed actor update).
  const optimizers = [...new Set([...loop.stepMarkers.filter((m) => m.kind === 'optimizer-step').map((m) => optimizerName(m.text)), ...optimizersSteppedIn(ctx, node, scope), ...(imported?.optimizers ?? [])])];
  const missing = optimizers.find((o) => !defined(o));
  // No optimizer: the script updates the parameters by hand (`p.data.add_(p.grad, alpha=-lr)`); the
  // model is the state, and the learning rate it anneals is carried like any loop value.
  const manual = optimizers.length === 0 ? modelName(ctx, scope, null) : null;
  if (optimizers.length === 0 && !defined(manual)) return `no optimizer and no model found where the epoch loop runs (line ${lineAt(ctx.src, node.startIndex)})`;
  if (missing !== undefined) return `the optimizer \`${missing}\` is not defined where the epoch loop runs (line ${lineAt(ctx.src, node.startIndex)})`;
  // An optimizer built only in one branch (`if args.autotune:`) may not exist when the checkpoint is
  // saved: the others are checkpointed, and the user is told.
  const sometimes = (optimizers as string[]).filter((o) => boundOnlySometimes(ctx, o, node, scope));
  if (!manual && sometimes.length === optimizers.length) return `the optimizer \`${sometimes[0]}\` exists only on some paths to the loop (line ${lineAt(ctx.src, node.startIndex)})`;
  if (sometimes.length) ctx.warnings.push(`not checkpointed: ${sometimes.map((o) => `\`${o}\``).join(', ')} (created only on some paths to the training loop); a resumed run starts ${sometimes.length > 1 ? 'them' : 'it'} afresh`);
  const pairs = (optimizers as string[]).filter((o) => !sometimes.includes(o)).map((optimizer) => ({ optimizer, model: modelName(ctx, scope, optimizer) }));
  if (pairs.some((p) => !defined(p.model))) return 'no model found whose parameters the optimizer trains';
  const key = (name: string) => name.split('.').pop()!;
  const models = pairs.map((p) => p.model!);
  const companions = companionModels(ctx, scope, pairs.map((p) => p.optimizer), models).filter((n) => defined(n) && !boundOnlySometimes(ctx, n, node, scope));
  const named = new Map<string, string>();
  const name = (n: string) => {
    if ([...named.values()].includes(n)) return;
    let k = key(n);
    // Not a parameter of _expkit_save_checkpoint, nor another object's name.
    while (named.has(k) || ['path', 'progress', 'counters', 'final'].includes(k)) k = `${k}_`;
    named.set(k, n);
  };
  if (manual) named.set('model', manual);
  else if (pairs.length === 1) named.set('model', pairs[0]!.model!).set('optimizer', pairs[0]!.optimizer);
  else for (const p of pairs) [p.model!, p.optimizer].forEach(name);
  companions.forEach(name);
  const objects = [...named].map(([k, n]) => `${k}=${n}`);
  const optimizer = pairs[0]?.optimizer ?? null;
  const scheduler = assignedFrom(ctx, scope, SCHEDULERS);
  if (scheduler && scheduler !== optimizer && defined(scheduler)) objects.push(`scheduler=${scheduler}`);
  const scaler = assignedFrom(ctx, scope, /(?:\w+\.)*GradScaler/);
  if (scaler && defined(scaler)) objects.push(`scaler=${scaler}`);

  if (node.type === 'while_statement') {
    if (!whileStepCounter(ctx, node)) return 'a step-based while loop without a step counter (`step += 1`): cannot resume it';
  } else if (ctx.bodyStatements(node).length === 0) return 'the epoch loop has an empty body';

  const setup = setupScope(ctx, node);
  const rank = rankZeroCondition(ctx, scope);
  const withNumpy = (a.imports?.modules ?? []).some((m) => m === 'numpy' || m.startsWith('numpy.'));
  ctx.needHelper('_expkit_fresh_start', instrumentLines(...RUN_IDENTITY));
  ctx.needHelper('_expkit_load', instrumentLines(...torchCheckpoint(withNumpy)));
  linkExpkitWandbInit(ctx);
  addNoResumeFlag(ctx, setup);
  if (rank?.needsOs) ctx.needImport('import os', 'os');
  ctx.facts.resumableCheckpoint = true;
  // What the loop carries from one iteration to the next in plain variables (a global step, the
  // best loss so far, a batch fetched ahead) is saved and restored too, so a resumed run continues
  // exactly where the uninterrupted one would be.
  const whileCounter = node.type === 'while_statement' ? whileStepCounter(ctx, node)?.name ?? null : null;
  const carried = carriedNames(ctx, node, scope, whileCounter ? [whileCounter] : []);
  const counters = carried.length ? `, counters={${carried.map((n) => `${pyString(n)}: ${n}`).join(', ')}}` : '';
  const carriedCall = `_expkit_carried(_expkit_ckpt, ${carried.map((n) => `${n}=${n}`).join(', ')})`;
  const restore = carried.length ? [carried.length === 1 ? `${carried[0]} = ${carriedCall}[0]` : `${carried.join(', ')} = ${carriedCall}`] : [];
  const restoredReason = carried.length ? `, ${carried.join(', ')}` : '';
  // The save after the loop marks the run finished: rerunning a finished run starts it afresh.
  const save = (progress: string, final = false) => `_expkit_save_checkpoint(_expkit_ckpt, ${progress}${counters}${final ? ', final=True' : ''}, ${objects.join(', ')})`;
  const locate = `_expkit_ckpt = ${checkpointFileCall(ctx, setup.configExpr)}`;
  const resumeCall = `_expkit_resume(_expkit_ckpt, ${objects.join(', ')})`;
  if (node.type === 'while_statement') return planWhile(ctx, node, { locate, resumeCall, save, rank: rank?.expr ?? null, restore, restoredReason });

  placeEpochCheckpoints(ctx, node, {
    resume: [locate, `_expkit_done = ${resumeCall}`, ...guarded(restore.length ? '_expkit_done' : null, restore)],
    resumeReason: `resume this run (same script, configuration and seed) from its latest checkpoint: model, optimizer, progress, RNG state${restoredReason}`,
    save: (final) => save('_expkit_epoch', final),
    rank: rank?.expr ?? null,
    stepLevel: iteratesSteps(ctx, node),
  });
  return null;
}

/**
 * The checkpointing of an epoch `for` loop: resume before it (`resume` sets `_expkit_ckpt` and
 * `_expkit_done`), skip the epochs a resumed run has done, save every N epochs and, marked final,
 * after the loop; on rank 0 only when `rank` says so.
 */
export function placeEpochCheckpoints(
  ctx: PlanContext,
  node: SyntaxNode,
  p: { resume: string[]; resumeReason: string; save: (final: boolean) => string; rank: string | null; stepLevel: boolean },
): void {
  const body = ctx.bodyStatements(node);
  ctx.b.insertBefore(node, [...p.resume, '_expkit_epoch = 0'], 'checkpoint', p.resumeReason);
  ctx.b.insertBefore(body[0]!, ['_expkit_epoch += 1', 'if _expkit_epoch <= _expkit_done:', '    continue'], 'checkpoint', `skip the ${p.stepLevel ? 'iterations' : 'epochs'} a resumed run has already done`);
  const cadence = saveCadence(ctx, p.stepLevel, '_expkit_epoch', p.stepLevel ? 'iterations' : 'epochs');
  const conditions = [...(p.rank ? [p.rank] : []), ...(cadence.condition ? [cadence.condition] : [])];
  ctx.b.insertAfter(body[body.length - 1]!, guarded(conditions.join(' and ') || null, [p.save(false)]), 'checkpoint', `save a checkpoint ${cadence.describe}, atomically`);
  ctx.b.insertAfter(node, guarded(p.rank, [p.save(true)]), 'checkpoint', 'save the final state');
}

/**
 * How often the loop saves: every N epochs or steps when `--every N` says so; otherwise every epoch,
 * or, for a loop whose iterations are single optimizer steps, on a clock (a checkpoint per step would
 * spend a long run writing checkpoints).
 */
function saveCadence(ctx: PlanContext, stepLevel: boolean, counter: string, unit: string): { condition: string | null; describe: string } {
  const { every, everyGiven } = ctx.options.checkpoint!;
  if (stepLevel && !everyGiven) {
    ctx.needHelper('_expkit_checkpoint_due', instrumentLines(SAVED_AT, CHECKPOINT_DUE));
    return { condition: '_expkit_checkpoint_due(_expkit_ckpt)', describe: 'every 5 minutes (EXPKIT_CHECKPOINT_SECONDS; --every N for every N steps)' };
  }
  if (every > 1) return { condition: `${counter} % ${every} == 0`, describe: `every ${every} ${unit}` };
  return { condition: null, describe: `every ${unit.replace(/s$/, '')}` };
}

/**
 * Whether the checkpointed loop counts steps or iterations rather than epochs: a `while` loop, or a
 * `for` loop whose target and range say nothing of epochs (`for global_step in range(total_timesteps)`,
 * `for iteration in …`, `for i_episode in count(1)`). Those save on a clock; epoch loops every epoch.
 */
export function iteratesSteps(ctx: PlanContext, node: SyntaxNode): boolean {
  if (node.type !== 'for_statement') return true;
  const head = `${ctx.text(node.childForFieldName('left') ?? node)} ${ctx.text(node.childForFieldName('right') ?? node)}`;
  return !/epoch/i.test(head);
}

/** `--no-resume` in the script's argparse, when it has one: runs resume by themselves, this starts fresh. */
export function addNoResumeFlag(ctx: PlanContext, setup: ReturnType<typeof setupScope>): void {
  if (argsName(setup)) addArgument(ctx, `"--no-resume", action="store_true", help=${pyString('start fresh even when this run has a checkpoint; the old one is kept aside (added by expkit)')}`, 'checkpoint', 'a --no-resume flag (runs resume by themselves)');
}

/** The counter a step-based `while` loop increments (`iter_num += 1`) and its statement, or null. */
function whileStepCounter(ctx: PlanContext, node: SyntaxNode): { name: string; statement: SyntaxNode | null } | null {
  const inc = unicodeIds(/^[ \t]*(\w+)\s*\+=\s*1\b/m).exec(ctx.text(node));
  if (!inc) return null;
  return { name: inc[1]!, statement: ctx.statementAt(lineAt(ctx.src, node.startIndex + inc.index + inc[0].search(/\S/))) };
}

/** Step-based `while` loops with a counter (`iter_num += 1`): save every N steps, resume the counter and what the loop carries. */
function planWhile(
  ctx: PlanContext,
  node: SyntaxNode,
  p: { locate: string; resumeCall: string; save: (progress: string, final?: boolean) => string; rank: string | null; restore: string[]; restoredReason: string },
): string | null {
  const step = whileStepCounter(ctx, node);
  if (!step?.statement) return 'the step counter increment could not be located';
  const counter = step.name;
  ctx.b.insertBefore(node, [p.locate, `_expkit_done = ${p.resumeCall}`, 'if _expkit_done:', `    ${counter} = _expkit_done`, ...p.restore.map((l) => `    ${l}`)], 'checkpoint', `resume this run (same script, configuration and seed) from its latest checkpoint: model, optimizer, RNG state and ${counter}${p.restoredReason}`);
  const cadence = saveCadence(ctx, true, counter, 'steps');
  const conditions = [...(p.rank ? [p.rank] : []), ...(cadence.condition ? [cadence.condition] : [])];
  ctx.b.insertAfter(step.statement, guarded(conditions.join(' and ') || null, [p.save(counter)]), 'checkpoint', `save a checkpoint ${cadence.describe}, atomically`);
  ctx.b.insertAfter(node, guarded(p.rank, [p.save(counter, true)]), 'checkpoint', 'save the final state');
  return null;
}
