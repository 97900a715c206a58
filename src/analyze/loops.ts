/** Finding 3: the training loop(s) and their step markers. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { frameworkCalls } from './framework-calls.js';
import {
  assignedNames,
  callArguments,
  callReceiver,
  enclosingClass,
  enclosingFunction,
  endLineOf,
  functionName,
  isAncestor,
  lineOf,
  positionalArguments,
  receiverLastName,
  statementOf,
} from './syntax.js';
import type { CallStep, LoopRef, StepMarker, StepMarkerKind, TrainLoop } from './types.js';

const OPTIMIZER_CLASSES =
  /(^|\.)(SGD|Adam|AdamW|Adamax|Adagrad|Adadelta|RMSprop|Rprop|NAdam|RAdam|ASGD|LBFGS|SparseAdam|Adafactor|Lion|LAMB|Lamb|FusedAdam|DeepSpeedCPUAdam|ZeroRedundancyOptimizer)$|optim\.|[Oo]ptimi[sz]er/;
const OPTIMIZER_NAME = /optim|^opt(s|\d|_.*)?$|_opt$/i;
const NOT_OPTIMIZER_NAME = /sched|env|world|sim|game|agent|lr_/i;

/** `optimizer.step()`, `opt.step(closure)`, `scaler.step(optimizer)`; not `scheduler.step()` or `env.step(a)`. */
export function isOptimizerStep(ctx: AnalysisContext, call: SyntaxNode): boolean {
  const receiver = callReceiver(call);
  const name = receiverLastName(receiver);
  if (!name || !receiver) return false;
  if (/scaler/i.test(name)) return true;
  if (NOT_OPTIMIZER_NAME.test(name)) return false;
  if (OPTIMIZER_NAME.test(name)) return true;
  const bound = ctx.bindingsOf(receiver.text);
  return bound.some((b) => OPTIMIZER_CLASSES.test(b.callee));
}

/** The loops a marker runs in, innermost first, and the calls that lead there from the loop. */
interface Route {
  loops: SyntaxNode[];
  via: CallStep[];
}

interface Marker {
  node: SyntaxNode;
  kind: StepMarkerKind;
  /** One route per loop reached: the marker's own loops, or those around the calls of its function. */
  routes: Route[];
}

/** How many calls deep a marker's function is followed to find the loop that runs it. */
const MAX_CALL_DEPTH = 4;
/** Gradient computations in JAX and friends: they play the part of `loss.backward()`. */
const JAX_GRAD = /^(jax|flax(\.\w+)*|equinox|eqx)\.(value_and_grad|grad|filter_value_and_grad|filter_grad)$/;
/** Wrappers whose result is called in place of the function: `step = jax.jit(train_step)`. */
const WRAPPERS = ['jit', 'pmap', 'partial', 'filter_jit'];
/** Only scripts importing these have JAX markers and jit-wrapped steps (a pass over the text saved elsewhere). */
const JAX_MODULES = ['jax', 'flax', 'optax', 'equinox'];

function collectMarkers(ctx: AnalysisContext): Marker[] {
  const steps = ctx.methodCalls('step').filter((c) => isOptimizerStep(ctx, c));
  steps.push(...ctx.methodCalls('apply_gradients'));
  const jax = ctx.importsModule(...JAX_MODULES);
  if (jax) steps.push(...ctx.calls('apply_updates').filter((c) => /(^|\.)optax\.apply_updates$/.test(ctx.resolvedCallee(c) ?? '')));
  const found: { node: SyntaxNode; kind: StepMarkerKind }[] = steps.map((node) => ({ node, kind: 'optimizer-step' }));
  // loss.backward(), scaler.scale(loss).backward(), accelerator/fabric.backward(loss),
  // self.manual_backward(loss), TensorFlow's tape.gradient(loss, vars) and jax.value_and_grad(loss_fn).
  found.push(
    ...[
      ...ctx.methodCalls('backward', 'manual_backward'),
      ...ctx.methodCalls('gradient').filter((c) => /tape/i.test(callReceiver(c)?.text ?? '')),
      ...(jax ? ctx.calls('value_and_grad', 'grad', 'filter_value_and_grad', 'filter_grad').filter((c) => JAX_GRAD.test(ctx.resolvedCallee(c) ?? '')) : []),
    ].map((node) => ({ node, kind: 'backward' as const })),
  );
  const reach = new CallReach(ctx);
  // The call sites of every marker function without a loop of its own, in one pass over the text.
  const loopless = found.filter((m) => ctx.loopsAt(m.node.startIndex).length === 0);
  const names = new Set(loopless.map((m) => ctx.functionAt(m.node.startIndex)?.childForFieldName('name')?.text).filter((n): n is string => !!n));
  if (names.size > 1) ctx.calls(...names);
  return found.map(({ node, kind }) => {
    const loops = ctx.loopsAt(node.startIndex);
    if (loops.length > 0) return { node, kind, routes: [{ loops, via: [] }] };
    if (kind === 'backward') {
      // A closure passed to optimizer.step(closure): the backward runs in the step's loop.
      const fnName = ctx.functionAt(node.startIndex)?.childForFieldName('name')?.text;
      const stepCall = fnName ? steps.find((s) => callArguments(s).some((a) => a.text === fnName)) : undefined;
      const stepLoops = stepCall ? ctx.loopsAt(stepCall.startIndex) : [];
      if (stepLoops.length > 0) return { node, kind, routes: [{ loops: stepLoops, via: [] }] };
    }
    return { node, kind, routes: reach.routesTo(ctx.functionAt(node.startIndex)) };
  });
}

/**
 * Markers in a function without a loop of their own (`train_step(batch)`, `self._run_batch(...)`,
 * a local `_backward()` closure): the loops around the calls of that function, followed through
 * plain calls, `self.` method calls and `jax.jit(fn)`-style wrappers, a few calls deep.
 */
class CallReach {
  private readonly memo = new Map<number, Route[]>();

  constructor(private readonly ctx: AnalysisContext) {}

  routesTo(fn: SyntaxNode | null): Route[] {
    return fn ? this.search(fn, 0, new Set()) : [];
  }

  private search(fn: SyntaxNode, depth: number, visiting: Set<number>): Route[] {
    const cached = this.memo.get(fn.id);
    if (cached) return cached;
    if (depth >= MAX_CALL_DEPTH || visiting.has(fn.id)) return [];
    visiting.add(fn.id);
    const step = { function: functionName(fn)!, line: lineOf(fn) };
    const routes: Route[] = [];
    for (const call of this.callsOf(fn)) {
      const via = [{ ...step, callLine: lineOf(call) }];
      const loops = this.ctx.loopsAt(call.startIndex);
      if (loops.length > 0) {
        routes.push({ loops, via });
        continue;
      }
      const caller = this.ctx.functionAt(call.startIndex);
      if (!caller) continue;
      for (const r of this.search(caller, depth + 1, visiting)) routes.push({ loops: r.loops, via: [...r.via, ...via] });
    }
    visiting.delete(fn.id);
    // Only complete searches are remembered: a cut-off one depends on where it started.
    if (depth === 0) this.memo.set(fn.id, routes);
    return routes;
  }

  /** Calls that run `fn`, outside `fn` itself: `name(...)`, `self.name(...)` for methods, and calls of jit-wrapped aliases. */
  private callsOf(fn: SyntaxNode): SyntaxNode[] {
    const name = fn.childForFieldName('name')?.text;
    if (!name) return [];
    const isMethod = enclosingClass(fn) !== null;
    const names = this.ctx.importsModule(...JAX_MODULES) ? [name, ...this.wrappedAliases(name)] : [name];
    const calls = isMethod
      ? this.ctx.methodCalls(name).filter((c) => callReceiver(c)?.text === 'self' && enclosingClassOf(this.ctx, c)?.id === enclosingClass(fn)!.id)
      : this.ctx.functionCalls(...names);
    return calls.filter((c) => !isAncestor(fn, c));
  }

  /** `step = jax.jit(train_step)`, `p_step = jax.pmap(partial(train_step, cfg))`: names that call `name`. */
  private wrappedAliases(name: string): string[] {
    const out: string[] = [];
    for (const wrap of this.ctx.calls(...WRAPPERS)) {
      const first = positionalArguments(wrap)[0];
      if (first?.type !== 'identifier' || first.text !== name) continue;
      let outer = wrap;
      // partial(train_step, ...) inside jax.jit(...): the outermost wrapper's assignment.
      while (outer.parent?.type === 'argument_list' && outer.parent.parent?.type === 'call') outer = outer.parent.parent;
      out.push(...assignedNames(outer).filter((n) => /^\w+$/.test(n) && n !== name));
    }
    return out;
  }
}

function enclosingClassOf(ctx: AnalysisContext, node: SyntaxNode): SyntaxNode | null {
  for (let fn = ctx.functionAt(node.startIndex); fn; fn = enclosingFunction(fn)) {
    const cls = enclosingClass(fn);
    if (cls) return cls;
  }
  return null;
}

/** The loop that calls `fn` (an epoch loop in main() calling train()), or null. */
function outerLoop(ctx: AnalysisContext, fn: SyntaxNode | null): LoopRef | null {
  const name = fn?.childForFieldName('name')?.text;
  if (!fn || !name) return null;
  const callSites = [...ctx.functionCalls(name), ...ctx.methodCalls(name).filter((c) => callReceiver(c)?.text === 'self')];
  for (const call of callSites) {
    if (call.startIndex >= fn.startIndex && call.endIndex <= fn.endIndex) continue;
    const loop = ctx.loopsAt(call.startIndex)[0];
    if (loop) return { line: lineOf(loop), endLine: endLineOf(loop), function: functionName(ctx.functionAt(loop.startIndex)) };
  }
  return null;
}

function toMarker(ctx: AnalysisContext, node: SyntaxNode, kind: StepMarkerKind): StepMarker {
  const line = lineOf(node);
  return { line, kind, text: ctx.lineText(line) };
}

interface Group {
  loop: SyntaxNode;
  markers: Marker[];
  /** The calls to the first step marker's function (else the first backward's); [] when in the loop. */
  via: CallStep[];
}

export function findTrainLoops(ctx: AnalysisContext): TrainLoop[] {
  const markers = collectMarkers(ctx);
  // Group markers by loop: each optimizer step claims the innermost loop of each of its routes; a
  // backward joins the innermost step loop around it (gradient accumulation: backward in a
  // micro-step loop, step outside), else the innermost loop of its first route.
  const groups = new Map<number, Group>();
  const join = (loop: SyntaxNode, m: Marker, via: CallStep[]) => {
    const group = groups.get(loop.id) ?? { loop, markers: [], via };
    if (!group.markers.includes(m)) group.markers.push(m);
    groups.set(loop.id, group);
  };
  for (const m of markers) {
    if (m.kind === 'optimizer-step') for (const r of m.routes) join(r.loops[0]!, m, r.via);
  }
  for (const m of markers) {
    if (m.kind !== 'backward' || m.routes.length === 0) continue;
    let joined = false;
    for (const r of m.routes) {
      const loop = r.loops.find((l) => groups.has(l.id));
      if (loop) {
        join(loop, m, r.via);
        joined = true;
      }
    }
    if (!joined) join(m.routes[0]!.loops[0]!, m, m.routes[0]!.via);
  }

  // Call sites of every loop's function in one scan of the text (outerLoop looks them up).
  const fnNames = [...groups.values()].map((g) => ctx.functionAt(g.loop.startIndex)?.childForFieldName('name')?.text).filter((n): n is string => !!n);
  if (fnNames.length > 1) ctx.calls(...new Set(fnNames));
  const loops: (TrainLoop & { score: number })[] = [];
  for (const { loop, markers: ms, via } of groups.values()) {
    ms.sort((a, b) => a.node.startIndex - b.node.startIndex);
    const kinds = new Set(ms.map((m) => m.kind));
    const fn = ctx.functionAt(loop.startIndex);
    const outer = outerLoop(ctx, fn);
    loops.push({
      kind: loop.type === 'while_statement' ? 'while' : 'for',
      line: lineOf(loop),
      endLine: endLineOf(loop),
      function: functionName(fn),
      stepMarkers: ms.map((m) => toMarker(ctx, m.node, m.kind)),
      outer,
      via,
      ...classMethods(fn, outer, via),
      score: kinds.size === 2 ? 3 : 1,
    });
  }
  for (const { call } of frameworkCalls(ctx)) {
    const stmt = statementOf(call);
    loops.push({
      kind: 'framework-call',
      line: lineOf(stmt),
      endLine: endLineOf(stmt),
      function: functionName(ctx.functionAt(call.startIndex)),
      stepMarkers: [toMarker(ctx, call, 'framework-fit')],
      outer: null,
      via: [],
      className: null,
      methods: [],
      score: 2,
    });
  }
  // A stepping loop nested in another of the same rank (SAC's delayed actor updates, a WGAN's critic
  // iterations inside the batch loop) is a sub-update: the enclosing loop runs every step and comes first.
  const depth = (l: (typeof loops)[number]) =>
    loops.filter((o) => o !== l && o.kind !== 'framework-call' && o.score === l.score && o.function === l.function && o.line < l.line && l.endLine <= o.endLine).length;
  const depths = new Map(loops.map((l) => [l, depth(l)]));
  loops.sort((a, b) => b.score - a.score || depths.get(a)! - depths.get(b)! || b.stepMarkers.length - a.stepMarkers.length || a.line - b.line);
  return loops.map(({ score: _score, ...loop }) => loop);
}

/** A hand-written trainer class: the loop's class and its methods from the outer loop down to the step. */
function classMethods(fn: SyntaxNode | null, outer: LoopRef | null, via: CallStep[]): { className: string | null; methods: string[] } {
  const cls = fn ? enclosingClass(fn) : null;
  const className = cls?.childForFieldName('name')?.text ?? null;
  if (!className) return { className: null, methods: [] };
  const prefix = `${className}.`;
  const chain = [outer?.function ?? null, functionName(fn), ...via.map((v) => v.function)];
  const methods = chain.filter((f): f is string => f !== null && f.startsWith(prefix) && !f.slice(prefix.length).includes('.')).map((f) => f.slice(prefix.length));
  return { className, methods: [...new Set(methods)] };
}
