/**
 * Where instrumentation goes and which names it may use there: the scope that sets training
 * up, the point where its configuration is known, the loss/optimizer/model names in scope, the
 * step counter and the rank-0 condition.
 */
import type { SyntaxNode } from '../../parser/index.js';
import type { TrainLoop } from '../../analyze/types.js';
import { lineText } from '../../core/source-text.js';
import { dottedName, isAncestor, keywordArgument, positionalArguments, statementOf } from '../../analyze/syntax.js';
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
  // `for epoch …: for batch …:` in one function: the outermost enclosing loop runs the training (PPO's
  // `for iteration …:` around its rollout and `for epoch in range(update_epochs):` update loops).
  let enclosing: SyntaxNode | null = null;
  for (let p = node?.parent ?? null; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') enclosing = p;
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
  if (parseStmt && sameFunction(ctx, fn, parseStmt) && (anchorNode || fn !== null || parseStmt.parent?.type === 'module')) {
    after = parseStmt;
  } else if (a.config.argsVar && fn) {
    after = assignmentOf(ctx, fn, a.config.argsVar);
  }
  // The configuration is known after the statement, in the block that runs the loop, that
  // holds the parse (`if __name__ == "__main__":` body, both branches of an if/else)…
  if (after && anchorNode) after = inBlockOf(after, anchorNode);
  // …and after the statements right after it that complete it (`args.device = …`, a drawn seed).
  if (after) after = afterDerivedValues(ctx, after, anchorNode);
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

function sameFunction(ctx: PlanContext, fn: SyntaxNode | null, node: SyntaxNode): boolean {
  const around = ctx.functionAround(node);
  return around === null ? fn === null : fn !== null && around.id === fn.id;
}

/** `stmt`, or the compound statement holding it, whose block also holds `anchor`; null when none before the function ends. */
function inBlockOf(stmt: SyntaxNode, anchor: SyntaxNode): SyntaxNode | null {
  let s: SyntaxNode | null = stmt;
  while (s && s.parent && !isAncestorOrSelf(s.parent, anchor)) {
    let up: SyntaxNode | null = s.parent;
    while (up && up.parent && up.parent.type !== 'block' && up.parent.type !== 'module') {
      if (up.type === 'function_definition' || up.type === 'class_definition') return null;
      up = up.parent;
    }
    if (!up || up.type === 'function_definition' || up.type === 'class_definition' || up.type === 'module') return null;
    s = up;
  }
  return s;
}

function isAncestorOrSelf(outer: SyntaxNode, node: SyntaxNode): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

/**
 * The last of the statements right after `stmt` that only complete the parsed configuration:
 * `args.device = …`, `if args.seed is None: args.seed = random.randint(…)`.
 */
function afterDerivedValues(ctx: PlanContext, stmt: SyntaxNode, anchor: SyntaxNode | null): SyntaxNode {
  const name = assignedName(stmt) ?? ctx.analysis.config.argsVar;
  if (!name) return stmt;
  let last = stmt;
  for (let next = last.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'comment') continue;
    if ((anchor && isAncestorOrSelf(next, anchor)) || !completesConfig(next, name)) break;
    last = next;
  }
  return last;
}

/** The single name a statement assigns (`args` in `args = parser.parse_args()`), or null. */
function assignedName(stmt: SyntaxNode): string | null {
  const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
  const left = assign?.type === 'assignment' ? assign.childForFieldName('left') : null;
  return left?.type === 'identifier' ? left.text : null;
}

/** Whether a statement only sets attributes of `name` (`args.x = …`), directly or in the branches of an `if`. */
function completesConfig(stmt: SyntaxNode, name: string): boolean {
  if (stmt.type === 'expression_statement') {
    const assign = stmt.namedChildren[0];
    if (assign?.type !== 'assignment' && assign?.type !== 'augmented_assignment') return false;
    const left = assign.childForFieldName('left');
    return left?.type === 'attribute' && left.childForFieldName('object')?.text === name;
  }
  if (stmt.type === 'if_statement') {
    const blocks = [stmt.childForFieldName('consequence'), ...stmt.namedChildren.filter((c) => c.type === 'elif_clause' || c.type === 'else_clause').map((c) => c.childForFieldName('consequence') ?? c.childForFieldName('body'))];
    return blocks.every((b) => b !== null && b.namedChildren.filter((c) => c.type !== 'comment').every((c) => completesConfig(c, name)));
  }
  return false;
}

/** The first statement in `fn` that assigns `name` (`args = get_args()`, `rank, world = setup()`). */
export function assignmentOf(ctx: PlanContext, fn: SyntaxNode, name: string): SyntaxNode | null {
  const first = ctx.assignmentsIn(fn, name)[0];
  return first ? statementOf(first) : null;
}

/** The configuration as an expression valid in `fn` (or at module level), or null when none is in scope. */
function configExpression(ctx: PlanContext, fn: SyntaxNode | null): string | null {
  const c = ctx.analysis.config;
  const params = fn ? ctx.parameterNames(fn) : [];
  // A name holds configuration when it is the parsed arguments, a parameter named like them,
  // or a dict / loaded config; never just any variable that happens to be called `opt`.
  const holdsConfig = (name: string) => {
    if (params.includes(name)) return CONFIG_NAMES.includes(name) || name === c.argsVar;
    return ctx.assignmentsIn(fn, name).some((a) => /^(\{|dict\(|\w+\.(safe_load|load|full_load|parse_args|parse_known_args)\(|OmegaConf\.)/.test(ctx.text(a.childForFieldName('right') ?? a)));
  };
  switch (c.kind) {
    case 'argparse': {
      if (c.argsVar && (params.includes(c.argsVar) || ctx.definesName(fn, c.argsVar))) return `vars(${c.argsVar})`;
      const param = params.find((p) => CONFIG_NAMES.includes(p));
      return param ? `vars(${param})` : null;
    }
    case 'hydra': {
      const name = c.argsVar ?? 'cfg';
      // The name must be bound: `from omegaconf import DictConfig` alone does not bind OmegaConf.
      const bound = ctx.importsOf('omegaconf').find((i) => i.imported === 'OmegaConf' || (i.imported === null && i.module === 'omegaconf'));
      if (bound) return `${bound.imported === null ? `${bound.name}.OmegaConf` : bound.name}.to_container(${name}, resolve=True)`;
      return `dict(${name})`;
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
  if (fn === null && ctx.assignmentsIn(null).some((a) => /^[A-Z][A-Z0-9_]*$/.test(ctx.text(a.childForFieldName('left') ?? a)))) return '{k: v for k, v in globals().items() if k.isupper() and isinstance(v, (int, float, str, bool))}';
  return null;
}

/** The loss expression a backward marker uses: `loss` in `loss.backward()` or `scaler.scale(loss).backward()`. */
export function lossName(markerText: string): string | null {
  const patterns = [
    /\.scale\(\s*([\w.]+)\s*\)\s*\.backward\(/,
    // `accelerator.backward(loss)`, `manual_backward(loss)`; not `autograd.backward(tensors, grad_tensors)`,
    // whose first argument is a list of tensors rather than a loss.
    /\b(?:backward|manual_backward)\(\s*([\w.]+)\s*(?:\)|,\s*\w+\s*=)/,
    /([\w.]+)\s*\.backward\(/,
    /\(\s*([\w.]+)[^()]*\)\s*\.backward\(/,
  ];
  for (const p of patterns) {
    const m = unicodeIds(p).exec(markerText);
    if (m && !/^(self|accelerator|fabric|scaler|autograd|torch\.autograd)$/.test(m[1]!)) return m[1]!;
  }
  return null;
}

/**
 * The losses a backward marker back-propagates: `loss` in `loss.backward()`; in an expression,
 * the names that look like losses (`reg_loss` in `(weight * reg_loss).backward()`, both in
 * `(loss_a + loss_b).backward()`), else the first name as before.
 */
export function lossNames(markerText: string): string[] {
  const expr = unicodeIds(/^\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*\.backward\(/).exec(markerText.trim());
  if (expr) {
    const names = [...expr[1]!.matchAll(unicodeIds(/(?<![\w.])([A-Za-z_][\w.]*)(?![\w(])/g))].map((m) => m[1]!);
    const losses = names.filter((n) => LOSS_LIKE.test(n.split('.').pop()!));
    if (losses.length > 0) return [...new Set(losses)];
  }
  const one = lossName(markerText);
  return one ? [one] : [];
}

const LOSS_LIKE = /loss|err|cost|objective|nll|kl|elbo/i;

/** The optimizer an optimizer-step marker steps: `optimizer` in `optimizer.step()` or `scaler.step(optimizer)`. */
export function optimizerName(markerText: string): string | null {
  const scaler = unicodeIds(/scaler\w*\.step\(\s*([\w.]+)/i).exec(markerText);
  if (scaler) return scaler[1]!;
  const m = unicodeIds(/([\w.]+)\.(?:step|apply_gradients)\(/).exec(markerText);
  return m ? m[1]! : null;
}

/** A variable assigned from one of `callees` in `scope`: `scheduler = StepLR(...)`. */
export function assignedFrom(ctx: PlanContext, scope: SyntaxNode | null, callees: RegExp): string | null {
  const call = unicodeIds(new RegExp(`^[^\\n=]*?(?:${callees.source})\\s*\\(`));
  for (const a of ctx.assignmentsIn(scope)) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if ((left?.type === 'identifier' || left?.type === 'attribute') && right && call.test(ctx.text(right))) return ctx.text(left);
  }
  return null;
}

/** The model whose parameters the optimizer gets: `model` in `SGD(model.parameters(), …)`. */
export function modelName(ctx: PlanContext, scope: SyntaxNode | null, optimizer: string | null): string | null {
  const text = scope ? ctx.text(scope) : ctx.src.text;
  if (optimizer) {
    // In the scope, else at module level (a policy and its optimizer built once, globally), else in
    // the trainer class that keeps it (`self.optimizer = Adam(self.policy.parameters())` in __init__).
    const cls = scope && optimizer.startsWith('self.') ? enclosingClass(scope) : null;
    for (const where of scope ? [scope, null, ...(cls ? [cls] : [])] : [null]) {
      for (const a of ctx.assignmentsIn(where, optimizer)) {
        const m = unicodeIds(/([A-Za-z_][\w.]*)\.parameters\(/).exec(ctx.text(a.childForFieldName('right') ?? a));
        if (m) return m[1]!;
      }
    }
  }
  const any = unicodeIds(/([A-Za-z_][\w.]*)\.parameters\(\)/).exec(text);
  if (any) return any[1]!;
  const plain = ['model', 'net', 'network'].find((n) => ctx.definesName(scope, n));
  if (plain) return plain;
  // A trainer class: the model it keeps on the instance (`self.model = DDP(model)`).
  return optimizer?.startsWith('self.') ? (['self.model', 'self.net', 'self.network', 'self.module'].find((n) => classAssigns(ctx, scope, n)) ?? null) : null;
}

/**
 * The other modules a run's state holds besides each optimizer's first model: every model whose
 * parameters an optimizer gets (`Adam(list(qf1.parameters()) + list(qf2.parameters()))`), and copies
 * kept beside them — target networks (`qf1_target.load_state_dict(qf1.state_dict())`) and EMA models
 * (`ema = deepcopy(model)`) — which a resumed run would otherwise rebuild from the fresh model.
 */
export function companionModels(ctx: PlanContext, scope: SyntaxNode | null, optimizers: string[], models: string[]): string[] {
  const found = new Set<string>();
  const inReach = (n: SyntaxNode) => (scope === null || isAncestor(scope, n) || ctx.functionAround(n) === null);
  for (const optimizer of optimizers) {
    for (const where of scope ? [scope, null] : [null]) {
      for (const a of ctx.assignmentsIn(where, optimizer)) {
        for (const m of ctx.text(a.childForFieldName('right') ?? a).matchAll(unicodeIds(/([A-Za-z_][\w.]*)\.parameters\(/g))) found.add(m[1]!);
      }
    }
  }
  const trained = new Set([...models, ...found]);
  const copyOf = (text: string) => unicodeIds(/^(?:copy\.)?deepcopy\(\s*([A-Za-z_][\w.]*)\s*\)$/).exec(text.trim())?.[1];
  for (const a of ctx.assignmentsIn(scope).concat(scope ? ctx.assignmentsIn(null) : [])) {
    const left = a.childForFieldName('left');
    const source = copyOf(ctx.text(a.childForFieldName('right') ?? a));
    if (left && (left.type === 'identifier' || left.type === 'attribute') && source && trained.has(source)) found.add(ctx.text(left));
  }
  for (const node of ctx.callsTo('(?:\\w+\\.)+load_state_dict')) {
    const callee = ctx.text(node.childForFieldName('function')!).replace(/\s+/g, '');
    if (!inReach(node)) continue;
    const arg = positionalArguments(node)[0];
    const source = arg ? unicodeIds(/^([A-Za-z_][\w.]*)\.state_dict\(\)$/).exec(ctx.text(arg))?.[1] : undefined;
    if (source && trained.has(source)) found.add(callee.slice(0, -'.load_state_dict'.length));
  }
  return [...found].filter((n) => !models.includes(n) && /^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)?$/.test(n));
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
  const found = (expr: string, name: string): RankCondition => ({
    expr,
    needsOs: false,
    // In a function, a module-level flag already exists when it runs; only its own assignments count.
    definedBy: scope ? (ctx.parameterNames(scope).includes(name) ? null : assignmentOf(ctx, scope, name)) : ctx.moduleStatementAssigning(name),
  });
  // Fabric launches its processes itself (`fabric run`, devices=N): its own flag, whatever else the script shows.
  const fabric = ctx.analysis.framework.name === 'fabric' ? fabricName(ctx, scope) : null;
  if (fabric) {
    const flag = found(`${fabric}.is_global_zero`, fabric);
    // Each process knows its rank once `fabric.launch()` has started them: code reading it goes after.
    return { ...flag, definedBy: flag.definedBy ? (launchAfter(ctx, flag.definedBy, fabric) ?? flag.definedBy) : null };
  }
  if (!ctx.analysis.distributed.present || dataParallelOnly(ctx)) return null;
  const defined = (n: string) => ctx.definesName(scope, n) || ctx.definesName(null, n);
  for (const flag of ['master_process', 'is_master', 'is_main_process', 'main_process', 'is_main']) {
    if (defined(flag)) return found(flag, flag);
  }
  if (defined('accelerator')) return found('accelerator.is_main_process', 'accelerator');
  for (const rank of ['global_rank', 'ddp_rank', 'world_rank', 'rank']) {
    if (scope ? ctx.definesName(scope, rank) : ctx.definesName(null, rank)) return found(`${rank} == 0`, rank);
  }
  const joined = processGroupRank(ctx, scope) ?? spawnedIndex(ctx, scope);
  if (joined) return found(`${joined} == 0`, joined);
  // A trainer class keeps its process's rank on the instance (`self.gpu_id = gpu_id`).
  const attribute = scope ? rankAttribute(ctx, scope) : null;
  if (attribute) return { expr: `${attribute} == 0`, needsOs: false, definedBy: null };
  return { expr: 'int(os.environ.get("RANK", os.environ.get("SLURM_PROCID", "0"))) == 0', needsOs: true, definedBy: null };
}

const RANK_ATTRIBUTES = ['global_rank', 'rank', 'world_rank', 'ddp_rank', 'gpu_id', 'local_rank'];

/** `self.global_rank`, `self.gpu_id`…: a rank attribute the method's class assigns, or null. */
export function rankAttribute(ctx: PlanContext, method: SyntaxNode): string | null {
  const cls = enclosingClass(method);
  if (!cls || method.childForFieldName('parameters')?.namedChildren[0]?.text !== 'self') return null;
  const name = RANK_ATTRIBUTES.find((n) => ctx.assignmentsIn(cls, `self.${n}`).length > 0);
  return name ? `self.${name}` : null;
}

/** The class a function is a method of, or null. */
export function enclosingClass(fn: SyntaxNode): SyntaxNode | null {
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition' ? p.parent : null;
}

/** Whether a class assigns `self.<attr> = …` anywhere in its methods (so `self.<attr>` exists once it is built). */
export function classAssigns(ctx: PlanContext, fn: SyntaxNode | null, dotted: string): boolean {
  const cls = fn ? enclosingClass(fn) : null;
  if (!cls || !/^self\.\w+$/.test(dotted)) return false;
  return ctx.assignmentsIn(cls, dotted).length > 0;
}

/**
 * A trainer class's loop (`Trainer.train` → `_run_epoch` → `_run_batch`) is set up where the
 * trainer is used: the statement outside the class that calls its outer method
 * (`trainer.train(epochs)`), so seeding and wandb.init go in that function, before the model and
 * data are built there. Null for loops that are not in a class.
 */
export function classTrainerCall(ctx: PlanContext, loop: TrainLoop): SyntaxNode | null {
  if (!loop.className) return null;
  const outer = (loop.outer ?? loop).function;
  const method = outer?.split('.').pop();
  if (!method) return null;
  const cls = ctx.syntax.classes.get(loop.className)?.[0] ?? null;
  const call = ctx.syntax.calls.find((c) => c.callee.endsWith(`.${method}`) && !(cls && isAncestor(cls, c.node)));
  return call ? statementOf(call.node) : null;
}

/** The Fabric object in `scope`: a `fabric` parameter or a name assigned from `Fabric(...)` there (or at module level). */
export function fabricName(ctx: PlanContext, scope: SyntaxNode | null): string | null {
  if (scope && ctx.parameterNames(scope).includes('fabric')) return 'fabric';
  for (const where of scope ? [scope, null] : [null]) {
    const name = assignedFrom(ctx, where, /(?:\w+\.)*Fabric/);
    if (name && !name.includes('.') && ctx.definesName(where, name)) return name;
  }
  return null;
}

/** `fabric.launch()` as a statement of its own after `assigned`, in the same block. */
function launchAfter(ctx: PlanContext, assigned: SyntaxNode, fabric: string): SyntaxNode | null {
  const launch = new RegExp(`^${fabric}\\s*\\.\\s*launch\\(\\s*\\)$`);
  for (let next = assigned.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'expression_statement' && launch.test(ctx.text(next))) return next;
  }
  return null;
}

/** The rank a process joins its group with, `rank=gpu` in `init_process_group(...)`, when that is a name bound in `scope`. */
function processGroupRank(ctx: PlanContext, scope: SyntaxNode | null): string | null {
  for (const call of ctx.callsTo('(?:\\w+\\.)*init_process_group')) {
    if (scope && !within(scope, call)) continue;
    const value = keywordArgument(call, 'rank');
    const name = value ? dottedName(value) : null;
    const base = name?.split('.')[0];
    if (name && base && (ctx.definesName(scope, base) || ctx.definesName(null, base))) return name;
  }
  return null;
}

/** The process index `mp.spawn(fn, ...)` passes as `fn`'s first parameter, when `scope` is that function. */
function spawnedIndex(ctx: PlanContext, scope: SyntaxNode | null): string | null {
  return scope && isSpawned(ctx, scope) ? (ctx.parameterNames(scope)[0] ?? null) : null;
}

/** Whether `fn` runs in processes `mp.spawn(fn, ...)` starts (not in the process that runs the entry point). */
export function isSpawned(ctx: PlanContext, fn: SyntaxNode): boolean {
  const name = fn.childForFieldName('name');
  if (!name) return false;
  return ctx.callsTo('(?:\\w+\\.)*spawn').some((c) => {
    const target = positionalArguments(c)[0];
    return target !== undefined && ctx.text(target) === ctx.text(name);
  });
}

/**
 * Single-process `DataParallel` (`import torch.nn.parallel`, `nn.DataParallel`) is all the script shows
 * of distribution: no process has another rank, so nothing gets a rank guard.
 */
function dataParallelOnly(ctx: PlanContext): boolean {
  return ctx.analysis.distributed.lines.every((line) => {
    const text = lineText(ctx.src, line);
    return /^\s*(import\s+torch\.nn\.parallel\b|from\s+torch\.nn\.parallel\s+import\s+(\(\s*)?DataParallel\b(\s+as\s+\w+)?\s*\)?\s*$)/.test(text) && !/Distributed/.test(text);
  });
}
