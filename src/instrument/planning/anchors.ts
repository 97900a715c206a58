/**
 * Where instrumentation goes and which names it may use there: the scope that sets training
 * up, the point where its configuration is known, the loss/optimizer/model names in scope, the
 * step counter and the rank-0 condition.
 */
import type { SyntaxNode } from '../../parser/index.js';
import type { TrainLoop } from '../../analyze/types.js';
import { lineAt } from '../../core/source-text.js';
import type { PlanContext } from './context.js';
import { unicodeIds } from './identifiers.js';

export interface SetupScope {
  /** The function that sets training up and runs the (epoch) loop; null at module level. */
  fn: SyntaxNode | null;
  /** Insert setup code (init, seeding, resume) after this statement… */
  after: SyntaxNode | null;
  /** …or before this one (the first statement of the function, or the module-level loop). */
  before: SyntaxNode | null;
  /** The configuration as a Python expression in that scope (for wandb's config=), or null. */
  configExpr: string | null;
}

const CONFIG_NAMES = ['args', 'opt', 'opts', 'hparams', 'hp', 'cfg', 'config', 'conf', 'params', 'flags'];

/** The loop that runs epochs (the outer loop when the batch loop is in a function of its own). */
export function epochLoop(ctx: PlanContext, loop: TrainLoop): { node: SyntaxNode | null; fn: SyntaxNode | null } {
  if (loop.outer) {
    const fn = ctx.functionNamed(loop.outer.function);
    return { node: ctx.loopNode(loop.outer), fn };
  }
  const node = ctx.loopNode(loop);
  // `for epoch …: for batch …:` in one function: the enclosing loop runs the epochs.
  let enclosing: SyntaxNode | null = null;
  for (let p = node?.parent ?? null; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') {
      enclosing = p;
      break;
    }
  }
  const epoch = enclosing ?? node;
  return { node: epoch, fn: epoch ? ctx.functionAround(epoch) : null };
}

/** The module-level statement that contains a node. */
function moduleStatement(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.type !== 'module') n = n.parent;
  return n;
}

function within(outer: SyntaxNode | null, node: SyntaxNode): boolean {
  return outer === null ? true : node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

/** Where training is set up and its configuration is known. */
export function setupScope(ctx: PlanContext, anchorNode: SyntaxNode | null): SetupScope {
  const a = ctx.analysis;
  const fn = anchorNode ? ctx.functionAround(anchorNode) : ctx.entryFunction();
  const parseStmt = a.config.parseLine ? ctx.statementAt(a.config.parseLine) : null;
  let after: SyntaxNode | null = null;
  let before: SyntaxNode | null = null;
  if (parseStmt && within(fn, parseStmt) && (fn !== null || parseStmt.parent?.type === 'module')) {
    after = parseStmt;
  } else if (a.config.argsVar && fn) {
    after = assignmentOf(ctx, fn, a.config.argsVar);
  }
  if (!after) {
    if (fn) before = ctx.firstBodyStatement(fn);
    else if (anchorNode) before = moduleStatement(anchorNode);
  }
  // Setup must run before the loop: an anchor after the loop (config parsed late) is no anchor.
  if (after && anchorNode && after.startIndex > anchorNode.startIndex) {
    after = null;
    before = fn ? ctx.firstBodyStatement(fn) : anchorNode ? moduleStatement(anchorNode) : null;
  }
  return { fn, after, before, configExpr: configExpression(ctx, fn) };
}

/** The first statement in `fn` that assigns `name` (`args = get_args()`, `rank, world = setup()`). */
export function assignmentOf(ctx: PlanContext, fn: SyntaxNode, name: string): SyntaxNode | null {
  const text = ctx.text(fn);
  const m = unicodeIds(new RegExp(`^[ \\t]*(?:[\\w.]+\\s*,\\s*)*${name}\\s*(,[^=\\n]*)?=(?!=)`, 'm')).exec(text);
  if (!m) return null;
  return ctx.statementAt(lineAt(ctx.src, fn.startIndex + m.index + m[0].search(/\S/)));
}

/** The configuration as an expression valid in `fn` (or at module level), or null when none is in scope. */
function configExpression(ctx: PlanContext, fn: SyntaxNode | null): string | null {
  const c = ctx.analysis.config;
  const params = fn ? ctx.parameterNames(fn) : [];
  // A name holds configuration when it is the parsed arguments, a parameter named like them,
  // or a dict / loaded config; never just any variable that happens to be called `opt`.
  const holdsConfig = (name: string) => {
    if (params.includes(name)) return CONFIG_NAMES.includes(name) || name === c.argsVar;
    const text = fn ? ctx.text(fn) : ctx.moduleLevelText();
    return unicodeIds(new RegExp(`^[ \\t]*${name}\\s*=\\s*(\\{|dict\\(|\\w+\\.(safe_load|load|full_load|parse_args|parse_known_args)\\(|OmegaConf\\.)`, 'm')).test(text);
  };
  switch (c.kind) {
    case 'argparse': {
      if (c.argsVar && (params.includes(c.argsVar) || ctx.definesName(fn, c.argsVar))) return `vars(${c.argsVar})`;
      const param = params.find((p) => CONFIG_NAMES.includes(p));
      return param ? `vars(${param})` : null;
    }
    case 'hydra': {
      const name = c.argsVar ?? 'cfg';
      return ctx.analysis.imports?.modules.some((m) => m === 'omegaconf') ? `OmegaConf.to_container(${name}, resolve=True)` : `dict(${name})`;
    }
    case 'click':
      return 'dict(locals())';
    case 'absl':
      return 'FLAGS.flag_values_dict()';
    default:
      break;
  }
  const dictName = CONFIG_NAMES.find((n) => (params.includes(n) || ctx.definesName(fn, n)) && holdsConfig(n));
  if (dictName) return `dict(${dictName})`;
  if (fn === null && /^[A-Z][A-Z0-9_]*\s*=/m.test(ctx.moduleLevelText())) return '{k: v for k, v in globals().items() if k.isupper() and isinstance(v, (int, float, str, bool))}';
  return null;
}

/** The loss expression a backward marker uses: `loss` in `loss.backward()` or `scaler.scale(loss).backward()`. */
export function lossName(markerText: string): string | null {
  const patterns = [
    /\.scale\(\s*([\w.]+)\s*\)\s*\.backward\(/,
    /\b(?:backward|manual_backward)\(\s*([\w.]+)/,
    /([\w.]+)\s*\.backward\(/,
    /\(\s*([\w.]+)[^()]*\)\s*\.backward\(/,
  ];
  for (const p of patterns) {
    const m = unicodeIds(p).exec(markerText);
    if (m && !/^(self|accelerator|fabric|scaler)$/.test(m[1]!)) return m[1]!;
  }
  return null;
}

/** The optimizer an optimizer-step marker steps: `optimizer` in `optimizer.step()` or `scaler.step(optimizer)`. */
export function optimizerName(markerText: string): string | null {
  const scaler = unicodeIds(/scaler\w*\.step\(\s*([\w.]+)/i).exec(markerText);
  if (scaler) return scaler[1]!;
  const m = unicodeIds(/([\w.]+)\.(?:step|apply_gradients)\(/).exec(markerText);
  return m ? m[1]! : null;
}

/** A variable assigned from one of `callees` in `scope`: `scheduler = StepLR(...)`. */
export function assignedFrom(ctx: PlanContext, scope: SyntaxNode | null, callees: RegExp): string | null {
  const text = scope ? ctx.text(scope) : ctx.src.text;
  const re = unicodeIds(new RegExp(`^[ \\t]*([A-Za-z_][\\w.]*)\\s*=\\s*[^\\n=]*?(?:${callees.source})\\s*\\(`, 'm'));
  return re.exec(text)?.[1] ?? null;
}

/** The model whose parameters the optimizer gets: `model` in `SGD(model.parameters(), …)`. */
export function modelName(ctx: PlanContext, scope: SyntaxNode | null, optimizer: string | null): string | null {
  const text = scope ? ctx.text(scope) : ctx.src.text;
  if (optimizer) {
    const m = unicodeIds(new RegExp(`^[ \\t]*${optimizer.replace('.', '\\.')}\\s*=.*?([A-Za-z_][\\w.]*)\\.parameters\\(`, 'm')).exec(text);
    if (m) return m[1]!;
  }
  const any = unicodeIds(/([A-Za-z_][\w.]*)\.parameters\(\)/).exec(text);
  if (any) return any[1]!;
  return ['model', 'net', 'network'].find((n) => ctx.definesName(scope, n)) ?? null;
}

/** A counter the loop increments (`iter_num += 1`), or the loop variable of `for step in range(…)`. */
export function stepCounter(ctx: PlanContext, loopNode: SyntaxNode, isEpochLevel: boolean): string | null {
  const body = ctx.text(loopNode);
  const inc = /^[ \t]*((?:global_)?(?:step|steps|iter|iter_num|iteration|it|global_step|num_steps|step_count|update))\s*\+=\s*1\b/m.exec(body);
  if (inc) return inc[1]!;
  if (loopNode.type === 'while_statement') {
    const any = unicodeIds(/^[ \t]+(\w+)\s*\+=\s*1\b/m).exec(body);
    return any ? any[1]! : null;
  }
  if (!isEpochLevel) return null;
  const left = loopNode.childForFieldName('left');
  const right = loopNode.childForFieldName('right');
  if (left?.type === 'identifier' && right && /^(range|tqdm\(\s*range)\(/.test(ctx.text(right)) && /step|iter|it$|^i$/.test(ctx.text(left))) return ctx.text(left);
  return null;
}

export interface RankCondition {
  expr: string;
  needsOs: boolean;
  /** The statement in the scope that assigns the rank variable: code using it goes after it. */
  definedBy: SyntaxNode | null;
}

/** The condition under which this process is rank 0, in `scope`; null when the script is not distributed. */
export function rankZeroCondition(ctx: PlanContext, scope: SyntaxNode | null): RankCondition | null {
  if (!ctx.analysis.distributed.present) return null;
  const found = (expr: string, name: string): RankCondition => ({
    expr,
    needsOs: false,
    // In a function, a module-level flag already exists when it runs; only its own assignments count.
    definedBy: scope ? (ctx.parameterNames(scope).includes(name) ? null : assignmentOf(ctx, scope, name)) : ctx.moduleStatementAssigning(name),
  });
  const defined = (n: string) => ctx.definesName(scope, n) || ctx.definesName(null, n);
  for (const flag of ['master_process', 'is_master', 'is_main_process', 'main_process', 'is_main']) {
    if (defined(flag)) return found(flag, flag);
  }
  if (defined('accelerator')) return found('accelerator.is_main_process', 'accelerator');
  if (defined('fabric')) return found('fabric.global_rank == 0', 'fabric');
  for (const rank of ['global_rank', 'ddp_rank', 'world_rank', 'rank']) {
    if (scope ? ctx.definesName(scope, rank) : ctx.definesName(null, rank)) return found(`${rank} == 0`, rank);
  }
  return { expr: 'int(os.environ.get("RANK", os.environ.get("SLURM_PROCID", "0"))) == 0', needsOs: true, definedBy: null };
}
