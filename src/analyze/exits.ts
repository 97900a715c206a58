/** Finding 5: the main guard, the entry function and the ways out of it. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { cliRunnerCalls, parseCalls, parserCreations } from './config.js';
import { callReceiver, endLineOf, isAncestor, lineOf, positionalArguments } from './syntax.js';
import type { ExitPoints, LibraryTrainer, TrainLoop } from './types.js';

const PREFERRED_ENTRY = ['main', 'run', 'train', 'cli_main', 'run_training', 'train_model', 'run_experiment', 'app'];

/** Module-level function definitions by name (decorated ones too). */
function moduleFunctions(ctx: AnalysisContext): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const [name, defs] of ctx.functions) {
    const top = defs.find((d) => d.parent?.type === 'module' || (d.parent?.type === 'decorated_definition' && d.parent.parent?.type === 'module'));
    if (top) out.set(name, top);
  }
  return out;
}

function buildsParser(ctx: AnalysisContext, fn: SyntaxNode): boolean {
  return [...parserCreations(ctx), ...parseCalls(ctx)].some((c) => isAncestor(fn, c));
}

/** Functions called (or handed to fire.Fire / app.run / mp.spawn) inside a region, in order. */
function calledFunctions(ctx: AnalysisContext, region: SyntaxNode | null, defs: Map<string, SyntaxNode>): SyntaxNode[] {
  const called: SyntaxNode[] = [];
  const inRegion = (n: SyntaxNode) => (region ? isAncestor(region, n) : n.parent?.type === 'expression_statement' && n.parent.parent?.type === 'module');
  // Only names written in the region can be called there: look those up, not every function.
  const regionText = region ? ctx.textOf(region) : ctx.root.namedChildren.filter((s) => s.type === 'expression_statement').map((s) => ctx.textOf(s)).join('\n');
  const written = [...new Set([...regionText.matchAll(/(?<![\w.])([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]!))].filter((n) => defs.has(n));
  for (const call of ctx.functionCalls(...written)) {
    // A function called in a loop of the guard (`train_iter(epoch, …)` per epoch) is a step, not the entry.
    if (!inRegion(call) || ctx.loopsAt(call.startIndex).some((l) => !region || isAncestor(region, l))) continue;
    const def = defs.get(ctx.textOf(call.childForFieldName('function')!));
    if (def) called.push(def);
  }
  // fire.Fire(main), app.run(main), and mp.spawn(main, ...): every spawned process runs the entry function.
  const spawns = ctx.methodCalls('spawn').filter((c) => /^(mp|torch\.multiprocessing|multiprocessing)$/.test(ctx.resolve(callReceiver(c)?.text ?? '')));
  for (const call of [...cliRunnerCalls(ctx), ...spawns]) {
    if (!inRegion(call)) continue;
    const def = defs.get(positionalArguments(call)[0]?.text ?? '');
    if (def) called.push(def);
  }
  return called;
}

function pickEntry(ctx: AnalysisContext, candidates: SyntaxNode[]): SyntaxNode | null {
  const name = (fn: SyntaxNode) => fn.childForFieldName('name')?.text ?? '';
  for (const preferred of PREFERRED_ENTRY) {
    const hit = candidates.find((c) => name(c) === preferred);
    if (hit) return hit;
  }
  const notParsers = candidates.filter((c) => !buildsParser(ctx, c));
  return notParsers[notParsers.length - 1] ?? candidates[candidates.length - 1] ?? null;
}

/**
 * Where the training is driven from: the module-level functions that hold a training loop or lead to one
 * through calls (by name, a few levels up), and whether module-level code (the guard's body or top-level
 * statements) runs it: a loop or library trainer there, or a call into one of those functions.
 */
function trainingReach(ctx: AnalysisContext, trainLoops: TrainLoop[], libraryTrainer: LibraryTrainer | null): { functions: Set<string>; fromModule: boolean } {
  const functions = new Set<string>();
  let fromModule = trainLoops.some((l) => l.function === null || (l.outer !== null && l.outer.function === null)) || libraryTrainer?.function === null;
  // "Class.method" holders are reached by `x.method(…)` calls, plain functions by `name(…)` calls.
  const pending = trainLoops.flatMap((l) => [l.function, l.outer?.function ?? null]).filter((f): f is string => f !== null);
  const seen = new Set<string>();
  for (let depth = 0; depth < 6 && pending.length > 0; depth++) {
    const next: string[] = [];
    for (const holder of pending.splice(0)) {
      if (seen.has(holder)) continue;
      seen.add(holder);
      const [head, method] = holder.split('.');
      if (method === undefined) functions.add(head!);
      const calls = method === undefined ? ctx.functionCalls(head!) : ctx.methodCalls(method);
      for (const call of calls) {
        const caller = ctx.functionAt(call.startIndex);
        if (caller === null) fromModule = true;
        else next.push(qualifiedName(caller));
      }
    }
    pending.push(...next);
  }
  return { functions, fromModule };
}

/** `name`, or `Class.name` for a method. */
function qualifiedName(fn: SyntaxNode): string {
  const name = fn.childForFieldName('name')?.text ?? '';
  let up = fn.parent;
  while (up && up.type !== 'class_definition' && up.type !== 'function_definition') up = up.parent;
  const cls = up?.type === 'class_definition' ? up.childForFieldName('name')?.text : undefined;
  return cls ? `${cls}.${name}` : name;
}

export function findExitPoints(ctx: AnalysisContext, trainLoops: TrainLoop[], libraryTrainer: LibraryTrainer | null = null): ExitPoints {
  const guard =
    ctx.captured('exit.module_if').find((g) => {
      const condition = g.childForFieldName('condition');
      const text = condition ? ctx.textOf(condition) : '';
      return text.includes('__name__') && text.includes('__main__');
    }) ?? null;
  const defs = moduleFunctions(ctx);
  // A guard that runs the training loop itself is the program: no function is its entry.
  const guardTrains = guard !== null && trainLoops.some((l) => l.kind !== 'framework-call' && l.function === null && l.line >= lineOf(guard) && l.line <= endLineOf(guard));
  const reach = trainingReach(ctx, trainLoops, libraryTrainer);
  const candidates = calledFunctions(ctx, guard, defs);
  const leadingToTraining = candidates.filter((c) => reach.functions.has(c.childForFieldName('name')?.text ?? ''));
  // The entry is the function that leads to the training; helpers the guard calls on the way
  // (`get_config()`, `build_model()`, `plot_history()`) are not, when module-level code runs the training itself.
  const entry = guardTrains
    ? null
    : leadingToTraining.length > 0
      ? pickEntry(ctx, leadingToTraining)
      : reach.fromModule
        ? null
        : pickEntry(ctx, candidates);
  const exits = [
    ...ctx.methodCalls('exit', '_exit').filter((c) => /^(sys|os)$/.test(callReceiver(c)?.text ?? '')),
    ...ctx.functionCalls('exit', 'quit'),
  ];
  const sysExitLines = [...new Set(exits.map(lineOf))].sort((a, b) => a - b);
  const returnLines = entry
    ? ctx.nodesAtText(/\b(return)\b/, 'return_statement').filter((r) => isAncestor(entry, r) && ctx.functionAt(r.startIndex)?.id === entry.id).map(lineOf)
    : [];
  const trainsAtModuleLevel = reach.fromModule;
  const moduleCode = ctx.root.namedChildren.some(
    (s) => (s.type === 'for_statement' || s.type === 'while_statement' || s.type === 'with_statement') && s.id !== guard?.id,
  );
  return {
    mainGuardLine: guard ? lineOf(guard) : null,
    mainGuardEndLine: guard ? endLineOf(guard) : null,
    mainFunction: entry ? (entry.childForFieldName('name')?.text ?? null) : null,
    mainFunctionLine: entry ? lineOf(entry) : null,
    mainFunctionEndLine: entry ? endLineOf(entry) : null,
    sysExitLines,
    returnLines,
    moduleLevel: entry === null && (trainsAtModuleLevel || moduleCode),
  };
}
