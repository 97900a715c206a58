/**
 * State a training loop carries from one iteration to the next in plain variables: a batch fetched
 * ahead (`X, Y = get_batch()` at the end of an iteration, read at the start of the next), the best
 * validation loss so far, a running average, a step counter kept outside the batch loop. A resumed
 * run that restores only the model, optimizer and RNG states would start those over, and so differ
 * from an uninterrupted run (or save a "best" model that is not): the checkpoint saves them too.
 */
import type { SyntaxNode } from '../../parser/index.js';
import { isAncestor, statementOf } from '../../analyze/syntax.js';
import type { PlanContext } from './context.js';

/** Node types whose bodies run at another time (definitions) or bind their own names (comprehensions). */
const OWN_SCOPE = new Set(['function_definition', 'class_definition', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * Names the loop carries: bound before the loop in its scope, rebound inside it, and read inside
 * it before they are rebound (in the order Python evaluates an iteration's statements). Loop targets,
 * `exclude` (the counter expkit restores itself) and values taken from a clock are left out.
 */
export function carriedNames(ctx: PlanContext, loop: SyntaxNode, scope: SyntaxNode | null, exclude: readonly string[] = []): string[] {
  const written = new Set<string>();
  const readFirst = new Set<string>();
  const targets = new Set<string>();
  const read = (node: SyntaxNode | null) => {
    if (!node) return;
    for (const name of identifiersRead(node)) if (!written.has(name)) readFirst.add(name);
  };
  const write = (target: SyntaxNode | null) => {
    if (!target) return;
    for (const name of boundNames(target)) written.add(name);
    // `x[i] = …` and `x.a = …` read x.
    if (target.type === 'subscript' || target.type === 'attribute') read(target);
  };
  const visit = (stmt: SyntaxNode): void => {
    if (OWN_SCOPE.has(stmt.type) || stmt.type === 'decorated_definition' || stmt.type === 'comment') return;
    const expr = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    if (expr?.type === 'assignment') {
      let a: SyntaxNode | null = expr;
      const lefts: SyntaxNode[] = [];
      while (a?.type === 'assignment') {
        lefts.push(a.childForFieldName('left')!);
        a = a.childForFieldName('right');
      }
      read(a);
      lefts.forEach(write);
      return;
    }
    if (expr?.type === 'augmented_assignment') {
      read(expr.childForFieldName('left'));
      read(expr.childForFieldName('right'));
      write(expr.childForFieldName('left'));
      return;
    }
    if (stmt.type === 'for_statement') {
      read(stmt.childForFieldName('right'));
      write(stmt.childForFieldName('left'));
      for (const s of blockStatements(stmt)) visit(s);
      return;
    }
    if (stmt.type === 'with_statement') {
      const clause = stmt.namedChildren.find((c) => c.type === 'with_clause');
      for (const item of clause?.namedChildren.filter((c) => c.type === 'with_item') ?? []) {
        const value = item.childForFieldName('value');
        if (value?.type !== 'as_pattern') {
          read(value);
          continue;
        }
        read(value.namedChildren[0] ?? null);
        const alias = value.childForFieldName('alias');
        write(alias?.namedChildren[0] ?? alias);
      }
      for (const s of blockStatements(stmt)) visit(s);
      return;
    }
    const blocks = stmt.namedChildren.filter((c) => c.type === 'block' || c.type === 'elif_clause' || c.type === 'else_clause' || c.type === 'except_clause' || c.type === 'finally_clause');
    if (blocks.length === 0) {
      read(stmt);
      return;
    }
    // if/while/try: the conditions are read before the branches run.
    for (const child of stmt.namedChildren) {
      if (child.type === 'block') child.namedChildren.forEach(visit);
      else if (blocks.includes(child)) visit(child);
      else read(child);
    }
  };
  const loopTarget = loop.type === 'for_statement' ? loop.childForFieldName('left') : null;
  if (loopTarget) for (const name of boundNames(loopTarget)) targets.add(name);
  if (loop.type === 'while_statement') read(loop.childForFieldName('condition'));
  for (const s of blockStatements(loop)) visit(s);

  const carried: string[] = [];
  for (const name of written) {
    if (!readFirst.has(name) || targets.has(name) || exclude.includes(name) || name.startsWith('_expkit')) continue;
    // Bound before the loop on every path to it (not only in one branch of an `if`): restoring it then reads a bound name.
    const before = ctx.assignmentsIn(scope, name).filter((a) => a.endIndex <= loop.startIndex && runsOnEveryPathTo(a, loop));
    if (before.length === 0) continue;
    // A clock reading (`t0 = time.time()`) is this process's, not the run's.
    if (before.some((a) => /\b(time|perf_counter|monotonic|datetime|now)\b/.test(ctx.text(a.childForFieldName('right') ?? a)))) continue;
    carried.push(name);
  }
  return carried;
}

/**
 * Whether `name` is bound before `loop` only in some branches (`if args.autotune: a_optimizer = …`):
 * assigned before the loop in its scope, but never by a statement every path to the loop runs.
 */
export function boundOnlySometimes(ctx: PlanContext, name: string, loop: SyntaxNode, scope: SyntaxNode | null): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name) || (scope && ctx.parameterNames(scope).includes(name))) return false;
  const before = ctx.assignmentsIn(scope, name).filter((a) => a.endIndex <= loop.startIndex);
  return before.length > 0 && !before.some((a) => runsOnEveryPathTo(a, loop));
}

/** Nodes whose body runs only on some paths. `with`, `for`, `while` and `try` bodies count as run. */
const BRANCHES = new Set(['if_statement', 'elif_clause', 'else_clause', 'except_clause', 'case_clause', 'match_statement']);

/**
 * Whether an assignment runs on every path to `target` (a later statement): between it and the
 * block they share there is no `if`/`else`/`except`/`case` branch.
 */
export function runsOnEveryPathTo(assignment: SyntaxNode, target: SyntaxNode): boolean {
  for (let p = statementOf(assignment).parent; p; p = p.parent) {
    if (isAncestor(p, target)) return true;
    if (BRANCHES.has(p.type)) return false;
  }
  return false;
}

function blockStatements(node: SyntaxNode): SyntaxNode[] {
  const body = node.childForFieldName('body') ?? node.namedChildren.find((c) => c.type === 'block') ?? null;
  return body?.namedChildren ?? [];
}

/** Plain names a target binds: `a`, `a, b`, `(a, [b, *c])`; never `x.y` or `x[i]`. */
function boundNames(target: SyntaxNode): string[] {
  if (target.type === 'identifier') return [target.text];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern'].includes(target.type)) return target.namedChildren.flatMap(boundNames);
  return [];
}

/** Identifiers an expression or statement reads (not attribute names, keyword names, or inside nested scopes). */
function identifiersRead(node: SyntaxNode): string[] {
  const out: string[] = [];
  const visit = (n: SyntaxNode) => {
    if (OWN_SCOPE.has(n.type)) return;
    if (n.type === 'identifier') {
      const p = n.parent;
      if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === n.id) return;
      if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === n.id) return;
      out.push(n.text);
      return;
    }
    for (const c of n.namedChildren) visit(c);
  };
  visit(node);
  return out;
}
