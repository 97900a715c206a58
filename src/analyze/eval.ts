/** Finding 4: evaluation points. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { isHfTrainerCallee, isLightningTrainerCallee } from './framework-calls.js';
import { callReceiver, dottedName, enclosingClass, enclosingFunction, isAncestor, lineOf } from './syntax.js';
import type { EvalPoint, EvalPointKind } from './types.js';

const EVAL_WORD = '(eval|evaluate|evaluation|validate|validation|valid|val|test|testing)';
const EVAL_FUNCTION_NAME = new RegExp(`^(${EVAL_WORD}(_\\w+)?|\\w+_${EVAL_WORD}|(run|do)_${EVAL_WORD}\\w*)$`);
const LIGHTNING_EVAL_HOOKS = new Set(['validation_step', 'test_step']);
const INIT_FUNCTION = /(^|_)(init|initiali[sz]e|weights?|reset|params?|parameters)($|_)/i;
const EVAL_WORDS_IN_BODY = /\b(val|valid|validation|test|eval|evaluate)\w*/;

/** Functions that evaluate: named like it, or decorated with no_grad and switching to eval mode. */
function evalFunctions(ctx: AnalysisContext): SyntaxNode[] {
  const decoratedNoGrad = new Set(
    ctx.captured('decorator.no_grad').map((d) => d.parent?.childForFieldName('definition')?.id).filter((id) => id !== undefined),
  );
  const evalModeCalls = ctx.captured('call.eval_mode');
  return ctx.captured('definition.function').filter((fn) => {
    const name = fn.childForFieldName('name')?.text ?? '';
    if (LIGHTNING_EVAL_HOOKS.has(name) || /_step$/.test(name) || /^(train|training)/.test(name)) return false;
    if (EVAL_FUNCTION_NAME.test(name)) return true;
    return decoratedNoGrad.has(fn.id) && evalModeCalls.some((c) => isAncestor(fn, c));
  });
}

function isTrainerReceiver(ctx: AnalysisContext, receiver: SyntaxNode | null): boolean {
  const name = dottedName(receiver);
  if (!name) return false;
  const bound = ctx.bindings.get(name) ?? [];
  if (bound.length > 0) return bound.some((b) => isHfTrainerCallee(ctx, b.callee) || isLightningTrainerCallee(ctx, b.callee));
  return /trainer$/i.test(name);
}

export function findEvalPoints(ctx: AnalysisContext): EvalPoint[] {
  const points = new Map<string, EvalPoint>();
  const add = (node: SyntaxNode, kind: EvalPointKind) => {
    const line = lineOf(node);
    const key = `${line}:${kind}`;
    if (!points.has(key)) points.set(key, { line, kind, text: ctx.lineText(line) });
  };

  const evalFns = evalFunctions(ctx);
  const evalFnNames = new Set(evalFns.map((fn) => fn.childForFieldName('name')!.text));
  for (const fn of evalFns) add(fn, 'eval-function');

  for (const fn of ctx.captured('definition.function')) {
    if (LIGHTNING_EVAL_HOOKS.has(fn.childForFieldName('name')?.text ?? '') && enclosingClass(fn)) add(fn, 'validation-step');
  }

  const evalModeCalls = ctx.captured('call.eval_mode').filter((c) => dottedName(callReceiver(c)) !== 'torch');
  for (const call of evalModeCalls) add(call, 'eval-mode');

  for (const block of ctx.captured('block.no_grad')) {
    const fn = enclosingFunction(block);
    const fnName = fn?.childForFieldName('name')?.text ?? '';
    if (INIT_FUNCTION.test(fnName)) continue;
    const inEvalFunction = evalFns.some((e) => e.id === fn?.id || (fn !== null && isAncestor(e, fn)));
    const afterEvalSwitch = evalModeCalls.some(
      (c) => enclosingFunction(c)?.id === fn?.id && c.startIndex < block.endIndex,
    );
    const body = block.childForFieldName('body');
    if (inEvalFunction || afterEvalSwitch || (body !== null && EVAL_WORDS_IN_BODY.test(body.text))) add(block, 'no-grad');
  }
  for (const deco of ctx.captured('decorator.no_grad')) {
    const def = deco.parent?.childForFieldName('definition');
    if (def && evalFns.some((e) => e.id === def.id)) add(deco, 'no-grad');
  }

  for (const call of [...ctx.captured('call.plain'), ...ctx.captured('call.self_method')]) {
    const fnNode = call.childForFieldName('function');
    const name = fnNode?.type === 'identifier' ? fnNode.text : fnNode?.childForFieldName('attribute')?.text;
    if (!name || !evalFnNames.has(name)) continue;
    const callerFn = enclosingFunction(call);
    if (callerFn?.childForFieldName('name')?.text === name) continue; // recursion, not a call site
    add(call, 'eval-call');
  }

  for (const call of ctx.captured('call.framework_eval')) {
    const method = call.childForFieldName('function')?.childForFieldName('attribute')?.text;
    const receiver = callReceiver(call);
    if (method === 'evaluate' || isTrainerReceiver(ctx, receiver)) add(call, 'framework-eval');
  }

  return [...points.values()].sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
}
