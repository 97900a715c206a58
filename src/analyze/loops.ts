/** Finding 3: the training loop(s) and their step markers. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { frameworkCalls } from './framework-calls.js';
import {
  callArguments,
  callReceiver,
  endLineOf,
  functionName,
  lineOf,
  receiverLastName,
  statementOf,
} from './syntax.js';
import type { LoopRef, StepMarker, StepMarkerKind, TrainLoop } from './types.js';

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

interface Marker {
  node: SyntaxNode;
  kind: StepMarkerKind;
  /** Loops around the marker, innermost first (for a closure's backward: around the step that calls it). */
  loops: SyntaxNode[];
}

function collectMarkers(ctx: AnalysisContext): Marker[] {
  const steps = ctx.methodCalls('step').filter((c) => isOptimizerStep(ctx, c));
  steps.push(...ctx.methodCalls('apply_gradients'));
  const markers: Marker[] = steps.map((node) => ({ node, kind: 'optimizer-step', loops: ctx.loopsAt(node.startIndex) }));
  // loss.backward(), scaler.scale(loss).backward(), accelerator/fabric.backward(loss),
  // self.manual_backward(loss), and TensorFlow's tape.gradient(loss, vars).
  const backwards = [
    ...ctx.methodCalls('backward', 'manual_backward'),
    ...ctx.methodCalls('gradient').filter((c) => /tape/i.test(callReceiver(c)?.text ?? '')),
  ];
  for (const node of backwards) {
    let loops = ctx.loopsAt(node.startIndex);
    if (loops.length === 0) {
      // A closure passed to optimizer.step(closure): the backward runs in the step's loop.
      const fn = ctx.functionAt(node.startIndex);
      const fnName = fn?.childForFieldName('name')?.text;
      const stepCall = fnName ? steps.find((s) => callArguments(s).some((a) => a.text === fnName)) : undefined;
      if (stepCall) loops = ctx.loopsAt(stepCall.startIndex);
    }
    markers.push({ node, kind: 'backward', loops });
  }
  return markers;
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

export function findTrainLoops(ctx: AnalysisContext): TrainLoop[] {
  const markers = collectMarkers(ctx);
  // Group markers by loop: each optimizer step claims its innermost loop; a backward joins the
  // innermost step loop around it (gradient accumulation: backward in a micro-step loop, step outside).
  const groups = new Map<number, { loop: SyntaxNode; markers: Marker[] }>();
  for (const m of markers) {
    if (m.kind !== 'optimizer-step' || m.loops.length === 0) continue;
    const loop = m.loops[0]!;
    const group = groups.get(loop.id) ?? { loop, markers: [] };
    group.markers.push(m);
    groups.set(loop.id, group);
  }
  for (const m of markers) {
    if (m.kind !== 'backward' || m.loops.length === 0) continue;
    const loop = m.loops.find((l) => groups.has(l.id)) ?? m.loops[0]!;
    const group = groups.get(loop.id) ?? { loop, markers: [] };
    group.markers.push(m);
    groups.set(loop.id, group);
  }

  // Call sites of every loop's function in one scan of the text (outerLoop looks them up).
  const fnNames = [...groups.values()].map((g) => ctx.functionAt(g.loop.startIndex)?.childForFieldName('name')?.text).filter((n): n is string => !!n);
  if (fnNames.length > 1) ctx.calls(...new Set(fnNames));
  const loops: (TrainLoop & { score: number })[] = [];
  for (const { loop, markers: ms } of groups.values()) {
    ms.sort((a, b) => a.node.startIndex - b.node.startIndex);
    const kinds = new Set(ms.map((m) => m.kind));
    const fn = ctx.functionAt(loop.startIndex);
    loops.push({
      kind: loop.type === 'while_statement' ? 'while' : 'for',
      line: lineOf(loop),
      endLine: endLineOf(loop),
      function: functionName(fn),
      stepMarkers: ms.map((m) => toMarker(ctx, m.node, m.kind)),
      outer: outerLoop(ctx, fn),
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
      score: 2,
    });
  }
  loops.sort((a, b) => b.score - a.score || b.stepMarkers.length - a.stepMarkers.length || a.line - b.line);
  return loops.map(({ score: _score, ...loop }) => loop);
}
