/**
 * Framework training calls and the objects behind them, shared by the loop finder and the
 * framework finder: `trainer.train()` on a transformers Trainer, `trainer.fit()` on a
 * Lightning Trainer, `model.fit()` in a Keras script, `LightningCLI(...)`.
 */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { callReceiver, calleeLastName, dottedName } from './syntax.js';

export type FrameworkCallKind = 'hf-train' | 'lightning-fit' | 'keras-fit' | 'lightning-cli';

export interface FrameworkCall {
  call: SyntaxNode;
  kind: FrameworkCallKind;
}

export const HF_MODULES = ['transformers', 'trl', 'setfit', 'sentence_transformers'];
/** transformers' Trainer and the trainers built on it (TRL's among them). */
export const HF_TRAINERS = [
  'Trainer', 'Seq2SeqTrainer', 'SFTTrainer', 'DPOTrainer', 'GRPOTrainer', 'RewardTrainer', 'PPOTrainer', 'ORPOTrainer', 'KTOTrainer',
  'CPOTrainer', 'RLOOTrainer', 'OnlineDPOTrainer', 'GKDTrainer', 'PRMTrainer', 'BCOTrainer', 'XPOTrainer', 'NashMDTrainer', 'IterativeSFTTrainer',
];
const LIGHTNING_MODULES = ['lightning', 'pytorch_lightning', 'lightning_fabric'];

function startsWithModule(name: string, modules: string[]): boolean {
  return modules.some((m) => name === m || name.startsWith(`${m}.`));
}

/** Whether the file defines a class of this name itself (a user `Trainer` is not HF's). */
export function definesClass(ctx: AnalysisContext, name: string): boolean {
  return ctx.classNames.has(name);
}

/** Resolved constructors a name is bound to: `trainer` → [`transformers.Trainer`]. */
function boundTo(ctx: AnalysisContext, receiver: SyntaxNode | null): string[] {
  const name = dottedName(receiver);
  if (!name) return [];
  return (ctx.bindingsOf(name)).map((b) => b.callee);
}

/** A Trainer class from transformers/trl (not a user-defined class that happens to be called Trainer). */
export function isHfTrainerCallee(ctx: AnalysisContext, callee: string): boolean {
  const last = callee.split('.').pop() ?? '';
  if (!/Trainer$/.test(last)) return false;
  if (startsWithModule(callee, HF_MODULES)) return true;
  // Unresolved bare name: HF only when the file imports transformers and does not define it.
  return !callee.includes('.') && ctx.importsModule(...HF_MODULES) && !definesClass(ctx, last);
}

export function isLightningTrainerCallee(ctx: AnalysisContext, callee: string): boolean {
  if (!/(^|\.)Trainer$/.test(callee)) return false;
  if (startsWithModule(callee, LIGHTNING_MODULES)) return true;
  return !callee.includes('.') && ctx.importsModule(...LIGHTNING_MODULES) && !definesClass(ctx, 'Trainer');
}

/** `hydra.utils.instantiate(cfg.trainer, ...)` in a script that imports Lightning: a Lightning Trainer. */
export function isHydraLightningTrainer(ctx: AnalysisContext, callee: string): boolean {
  return /^hydra\.utils\.instantiate$|^hydra\.utils\.call$/.test(callee) && ctx.importsModule(...LIGHTNING_MODULES);
}

export function importsKeras(ctx: AnalysisContext): boolean {
  return ctx.importsModule('keras', 'tensorflow', 'tf_keras');
}

const memo = new WeakMap<AnalysisContext, FrameworkCall[]>();

export function frameworkCalls(ctx: AnalysisContext): FrameworkCall[] {
  const cached = memo.get(ctx);
  if (cached) return cached;
  const out: FrameworkCall[] = [];
  for (const call of ctx.methodCalls('train', 'fit')) {
    const method = calleeLastName(call);
    const receiver = callReceiver(call);
    const receiverName = dottedName(receiver) ?? '';
    const ctors = boundTo(ctx, receiver);
    if (method === 'train') {
      const hf = ctors.length > 0 ? ctors.some((c) => isHfTrainerCallee(ctx, c)) : /trainer$/i.test(receiverName) && ctx.importsModule(...HF_MODULES) && !definesClass(ctx, 'Trainer');
      if (hf) out.push({ call, kind: 'hf-train' });
    } else if (method === 'fit') {
      const lightning = ctors.length > 0 ? ctors.some((c) => isLightningTrainerCallee(ctx, c) || isHydraLightningTrainer(ctx, c)) : /trainer$/i.test(receiverName) && ctx.importsModule(...LIGHTNING_MODULES);
      if (lightning) out.push({ call, kind: 'lightning-fit' });
      else if (importsKeras(ctx) && !/trainer$/i.test(receiverName)) out.push({ call, kind: 'keras-fit' });
    }
  }
  for (const call of ctx.calls('LightningCLI')) out.push({ call, kind: 'lightning-cli' });
  out.sort((a, b) => a.call.startIndex - b.call.startIndex);
  memo.set(ctx, out);
  return out;
}
