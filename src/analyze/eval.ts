/** Finding 4: evaluation points. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { isHfTrainerCallee, isHydraLightningTrainer, isLightningTrainerCallee } from './framework-calls.js';
import { callReceiver, dottedName, enclosingClass, isAncestor, lineOf } from './syntax.js';
import type { EvalPoint, EvalPointKind } from './types.js';

const EVAL_WORD = '(eval|evaluate|evaluation|validate|validation|valid|val|test|testing)';
const EVAL_FUNCTION_NAME = new RegExp(`^(${EVAL_WORD}(_\\w+)?|\\w+_${EVAL_WORD}|(run|do)_${EVAL_WORD}\\w*)$`);
const LIGHTNING_EVAL_HOOKS = new Set(['validation_step', 'test_step']);
const INIT_FUNCTION = /(^|_)(init|initiali[sz]e|weights?|reset|params?|parameters)($|_)/i;
// Whole words or snake_case parts (`val_loss`, `test_input`), not `values`/`value` (RL rollouts under no_grad).
const EVAL_WORDS_IN_BODY = /\b(val|valid|validation|validate|test|testing|eval|evaluate|evaluation)(?![a-z0-9])/;

const NO_GRAD = /(^|\.)(no_grad|inference_mode)$/;

/** `@torch.no_grad()` / `@torch.inference_mode()` decorators. */
function noGradDecorators(ctx: AnalysisContext): SyntaxNode[] {
  return ctx.captured('definition.decorator').filter((d) => {
    const expr = d.namedChildren[0];
    const target = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    return NO_GRAD.test(dottedName(target ?? null) ?? '');
  });
}

/** `with torch.no_grad():` / `with torch.inference_mode():` blocks. */
function noGradBlocks(ctx: AnalysisContext): SyntaxNode[] {
  return ctx.captured('block.with').filter((w) =>
    (w.namedChildren[0]?.namedChildren ?? []).some((item) => {
      const value = item.childForFieldName('value');
      return value?.type === 'call' && NO_GRAD.test(dottedName(value.childForFieldName('function')) ?? '');
    }),
  );
}

/** `model.eval()` switches (no arguments: not Python's eval(...) nor a method that takes some). */
function evalModeCalls(ctx: AnalysisContext): SyntaxNode[] {
  return ctx.methodCalls('eval').filter((c) => (c.childForFieldName('arguments')?.namedChildren.length ?? 0) === 0);
}

/** Functions that evaluate: named like it, or decorated with no_grad and switching to eval mode. */
function evalFunctions(ctx: AnalysisContext, switches: SyntaxNode[]): SyntaxNode[] {
  const decoratedNoGrad = new Set(
    noGradDecorators(ctx).map((d) => d.parent?.childForFieldName('definition')?.id).filter((id) => id !== undefined),
  );
  const evalModeCalls = switches;
  return ctx.captured('definition.function').filter((fn) => {
    const name = fn.childForFieldName('name')?.text ?? '';
    // `*_step` methods are framework hooks (Lightning's validation_step); a plain `eval_step` (JAX) evaluates.
    if (LIGHTNING_EVAL_HOOKS.has(name) || (/_step$/.test(name) && enclosingClass(fn)) || /^(train|training)/.test(name)) return false;
    if (EVAL_FUNCTION_NAME.test(name)) return true;
    return decoratedNoGrad.has(fn.id) && evalModeCalls.some((c) => isAncestor(fn, c));
  });
}

function isTrainerReceiver(ctx: AnalysisContext, receiver: SyntaxNode | null): boolean {
  const name = dottedName(receiver);
  if (!name) return false;
  const bound = ctx.bindingsOf(name);
  if (bound.length > 0) return bound.some((b) => isHfTrainerCallee(ctx, b.callee) || isLightningTrainerCallee(ctx, b.callee) || isHydraLightningTrainer(ctx, b.callee));
  return /trainer$/i.test(name);
}

export function findEvalPoints(ctx: AnalysisContext): EvalPoint[] {
  const points = new Map<string, EvalPoint>();
  const add = (node: SyntaxNode, kind: EvalPointKind) => {
    const line = lineOf(node);
    const key = `${line}:${kind}`;
    if (!points.has(key)) points.set(key, { line, kind, text: ctx.lineText(line) });
  };

  const switches = evalModeCalls(ctx).filter((c) => dottedName(callReceiver(c)) !== 'torch');
  const evalFns = evalFunctions(ctx, switches);
  const evalFnNames = new Set(evalFns.map((fn) => fn.childForFieldName('name')!.text));
  for (const fn of evalFns) add(fn, 'eval-function');

  for (const fn of ctx.captured('definition.function')) {
    if (LIGHTNING_EVAL_HOOKS.has(fn.childForFieldName('name')?.text ?? '') && enclosingClass(fn)) add(fn, 'validation-step');
  }

  for (const call of switches) add(call, 'eval-mode');

  for (const block of noGradBlocks(ctx)) {
    const fn = ctx.functionAt(block.startIndex);
    const fnName = fn?.childForFieldName('name')?.text ?? '';
    if (INIT_FUNCTION.test(fnName)) continue;
    const inEvalFunction = evalFns.some((e) => e.id === fn?.id || (fn !== null && isAncestor(e, fn)));
    const afterEvalSwitch = switches.some(
      (c) => ctx.functionAt(c.startIndex)?.id === fn?.id && c.startIndex < block.endIndex,
    );
    const body = block.childForFieldName('body');
    if (inEvalFunction || afterEvalSwitch || (body !== null && EVAL_WORDS_IN_BODY.test(body.text))) add(block, 'no-grad');
  }
  for (const deco of noGradDecorators(ctx)) {
    const def = deco.parent?.childForFieldName('definition');
    if (def && evalFns.some((e) => e.id === def.id)) add(deco, 'no-grad');
  }

  const names = [...evalFnNames];
  const evalCalls = [...ctx.functionCalls(...names), ...ctx.methodCalls(...names).filter((c) => callReceiver(c)?.text === 'self')];
  for (const call of evalCalls) {
    const name = ctx.textOf(call.childForFieldName('function')!).replace(/^self\./, '');
    const callerFn = ctx.functionAt(call.startIndex);
    if (callerFn?.childForFieldName('name')?.text === name) continue; // recursion, not a call site
    add(call, 'eval-call');
  }

  for (const call of ctx.methodCalls('evaluate', 'validate', 'test')) {
    const method = call.childForFieldName('function')?.childForFieldName('attribute')?.text;
    const receiver = callReceiver(call);
    if (method === 'evaluate' || isTrainerReceiver(ctx, receiver)) add(call, 'framework-eval');
  }

  return [...points.values()].sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
}
