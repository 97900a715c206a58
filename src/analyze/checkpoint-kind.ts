/**
 * What a script's checkpoints are: `resumable` (optimizer state saved, or saved in the training loop
 * and loaded back) or a `weights-export` (a final `torch.save(model.state_dict())`, often behind
 * `--save-model`); and whether the script restores training state from them at start-up (`resumes`):
 * a script that saves `{"model", "opt"}` but never reads it back, or reloads only weights to
 * warm-start, starts from scratch after a preemption.
 */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { callArguments, callReceiver, calleeLastName, enclosingClass, endLineOf, keywordArgument, lineOf, receiverLastName, statementOf } from './syntax.js';
import type { CheckpointKind, TrainLoop } from './types.js';

/** Optimizer state in what is saved: `optimizer.state_dict()`, `"optimizer": opt`, optax's `opt_state`. */
const OPTIMIZER_STATE = /optim|opt_state|scheduler|["']opt["']|\bopt\.state_dict\b/i;
/** Saves that carry the whole training state by design. */
const RESUMABLE_SAVES = new Set(['save_checkpoint', 'BackupAndRestore']);

function isResumableSave(ctx: AnalysisContext, save: SyntaxNode, flaxTrainState: boolean): boolean {
  const name = calleeLastName(save) ?? '';
  if (RESUMABLE_SAVES.has(name)) return true;
  // Lightning's and Keras' ModelCheckpoint keep optimizer state unless told to save weights only.
  if (name === 'ModelCheckpoint') return keywordArgument(save, 'save_weights_only')?.text !== 'True';
  // accelerate's save_state() saves model, optimizer, scheduler and RNG states (the HF Trainer's only its log).
  if (name === 'save_state') return /accelerator/i.test(receiverLastName(callReceiver(save)) ?? '');
  const args = callArguments(save);
  if (args.some((a) => OPTIMIZER_STATE.test(ctx.textOf(a)))) return true;
  // flax's TrainState holds the optimizer state.
  if (flaxTrainState && args.some((a) => /\bstate\b/.test(ctx.textOf(a)))) return true;
  return args.some((a) => a.type === 'identifier' && assignmentsIn(ctx, save, a.text).some((s) => OPTIMIZER_STATE.test(ctx.textOf(s))));
}

/** Statements that assign `name` or an item of it (`ckpt["optimizer"] = …`) in the save's function (or module). */
function assignmentsIn(ctx: AnalysisContext, save: SyntaxNode, name: string): SyntaxNode[] {
  const scope = ctx.functionAt(save.startIndex);
  const start = scope?.startIndex ?? 0;
  const end = scope?.endIndex ?? ctx.src.text.length;
  const out: SyntaxNode[] = [];
  const re = new RegExp(`(?<![\\w.])${name}\\s*(?:\\[[^\\]\\n]*\\])?\\s*=(?!=)`, 'g');
  for (const m of ctx.src.text.slice(start, end).matchAll(re)) {
    const id = ctx.root.descendantForIndex(start + m.index!, start + m.index! + name.length);
    if (id.type !== 'identifier') continue;
    const stmt = statementOf(id);
    if (stmt.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'assignment') out.push(stmt);
  }
  return out;
}

export const CHECKPOINT_LOADS = ['load', 'load_state_dict', 'load_checkpoint', 'load_state', 'restore', 'restore_checkpoint', 'load_from_checkpoint', 'from_bytes'];

/** Whether the file reads a checkpoint back: `torch.load`, `load_state_dict`, `resume_from_checkpoint=`, `ckpt_path=`. */
function loadsBack(ctx: AnalysisContext): boolean {
  if (ctx.calls(...CHECKPOINT_LOADS).length > 0) return true;
  return passesResumeKeyword(ctx);
}

/** `resume_from_checkpoint=` (HF Trainer) or `ckpt_path=` (Lightning) passed to a call. */
function passesResumeKeyword(ctx: AnalysisContext): boolean {
  return ctx.nodesAtText(/\b(resume_from_checkpoint|ckpt_path)\s*=(?!=)/, 'keyword_argument').length > 0;
}

/** Loads that restore a whole training state by design (accelerate, Fabric's `load`, flax/orbax restores, a script's `load_checkpoint`). */
const STATE_RESTORES = ['load_state', 'load_checkpoint', 'restore_checkpoint', 'restore', 'resume', 'resume_from_checkpoint', 'BackupAndRestore'];
/** A progress counter read back from a checkpoint: `start_epoch = checkpoint["epoch"]`, `ckpt.get("iter_num")`. */
const SAVED_PROGRESS = /\[\s*["'](?:\w*epoch\w*|\w*step\w*|iter\w*)["']\s*\]|\.get\(\s*["'](?:\w*epoch\w*|\w*step\w*|iter\w*)["']/;

/**
 * Whether the script restores training state, not only weights: an optimizer's `load_state_dict`,
 * a start epoch or step read from a checkpoint, a framework resume (`resume_from_checkpoint=`,
 * `ckpt_path=`, accelerate's `load_state`, a `load_checkpoint`/`restore…` call).
 */
export function restoresTrainingState(ctx: AnalysisContext): boolean {
  if (ctx.calls(...STATE_RESTORES).length > 0) return true;
  if (passesResumeKeyword(ctx)) return true;
  const optimizerLoad = (call: SyntaxNode) =>
    /optim|^opt$|^opt_|_opt$|scheduler|scaler/i.test(receiverLastName(callReceiver(call)) ?? '') || callArguments(call).some((a) => OPTIMIZER_STATE.test(ctx.textOf(a)));
  if (ctx.methodCalls('load_state_dict').some(optimizerLoad)) return true;
  // A project's own loader handed the optimizer (`misc.load_model(args=args, model_without_ddp=model, optimizer=optimizer)`).
  for (const m of ctx.src.text.matchAll(/\b\w*(?:load|resume|restore)\w*\s*\(/gi)) {
    let node: SyntaxNode | null = ctx.root.descendantForIndex(m.index!, m.index! + 1);
    while (node && node.type !== 'call') node = node.type === 'identifier' || node.type === 'attribute' ? node.parent : null;
    if (node && callArguments(node).some((a) => OPTIMIZER_STATE.test(ctx.textOf(a)))) return true;
  }
  return [...ctx.nodesAtText(SAVED_PROGRESS, 'subscript'), ...ctx.nodesAtText(SAVED_PROGRESS, 'call')].some((n) => readIntoAssignment(n));
}

/** Whether a value is read on the right of an assignment (`start_epoch = ckpt["epoch"]`), not written (`log["step"] = …`). */
function readIntoAssignment(node: SyntaxNode): boolean {
  const assignment = statementOf(node).namedChildren[0];
  const right = assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
  return right !== null && node.startIndex >= right.startIndex && node.endIndex <= right.endIndex;
}

/** Line spans of the training loops and the loops that call them. */
function loopSpans(trainLoops: TrainLoop[]): [number, number][] {
  return trainLoops
    .filter((l) => l.kind !== 'framework-call')
    .flatMap((l) => [[l.line, l.endLine] as [number, number], ...(l.outer ? [[l.outer.line, l.outer.endLine] as [number, number]] : [])]);
}

/**
 * The save runs in a training loop: written in it or in a loop around it (the epoch loop around the
 * batch loop), or in a function (`self._save_checkpoint(epoch)`) called there.
 */
function savesInLoop(ctx: AnalysisContext, save: SyntaxNode, spans: [number, number][]): boolean {
  const runsInLoop = (node: SyntaxNode) => {
    const line = lineOf(node);
    if (spans.some(([a, b]) => line >= a && line <= b)) return true;
    return ctx.loopsAt(node.startIndex).some((l) => spans.some(([a, b]) => lineOf(l) <= a && b <= endLineOf(l)));
  };
  if (runsInLoop(save)) return true;
  const fn = ctx.functionAt(save.startIndex);
  const name = fn?.childForFieldName('name')?.text;
  if (!fn || !name) return false;
  const calls = enclosingClass(fn) ? ctx.methodCalls(name).filter((c) => callReceiver(c)?.text === 'self') : ctx.functionCalls(name);
  return calls.some(runsInLoop);
}

export function checkpointKind(ctx: AnalysisContext, saves: SyntaxNode[], trainLoops: TrainLoop[]): CheckpointKind | null {
  if (saves.length === 0) return null;
  const flaxTrainState = [...ctx.importedNames.values()].some((v) => /(^|\.)(train_state|TrainState)$/.test(v));
  if (saves.some((s) => isResumableSave(ctx, s, flaxTrainState))) return 'resumable';
  // The HF Trainer saves inside its own loop; resume_from_checkpoint= reads it back.
  if (ctx.nodesAtText(/\b(resume_from_checkpoint)\s*=(?!=)/, 'keyword_argument').length > 0) return 'resumable';
  const spans = loopSpans(trainLoops);
  if (loadsBack(ctx) && saves.some((s) => savesInLoop(ctx, s, spans))) return 'resumable';
  return 'weights-export';
}
