/**
 * Seeding the script does, but not all of: "the script already seeds" is wrong when runs still
 * differ. Two shapes seen on real scripts:
 * - partial: `torch.manual_seed(args.seed)` while the data pipeline draws from Python's `random`
 *   or NumPy (pytorch/examples' siamese network): the same seed goes to every generator, right before
 *   the script's own call;
 * - only when configured: `if cfg.get("seed"): L.seed_everything(cfg.seed)` with no seed in the
 *   default config (lightning-hydra-template): the `else` seeds with the requested value.
 */
import type { SyntaxNode } from '../../parser/index.js';
import { positionalArguments, statementOf } from '../../analyze/syntax.js';
import type { PlanContext } from './context.js';

type Generator = 'python' | 'numpy' | 'torch';

/** Calls that may seed: `seed_everything`, `set_seed`, `torch.manual_seed`, `np.random.seed`, `random.seed`, … */
const SEEDING_CALLS = '(?:\\w+\\.)*(?:seed_everything|set_seed|set_random_seed|manual_seed|manual_seed_all|seed)';

/** `calls` of `pattern` (see PlanContext.callsTo) with their callee's text, in source order. */
function callsWithCallee(ctx: PlanContext, pattern: string): Array<{ node: SyntaxNode; callee: string }> {
  return ctx.callsTo(pattern).map((node) => ({ node, callee: ctx.text(node.childForFieldName('function')!).replace(/\s+/g, '') }));
}

/** What one seeding call seeds, by its callee. */
function seeds(callee: string): Generator[] {
  const last = callee.split('.').pop()!;
  if (/^(seed_everything|set_seed|set_random_seed)$/.test(last)) return ['python', 'numpy', 'torch'];
  if (/^(torch|torch\.cuda)\.manual_seed(_all)?$/.test(callee)) return ['torch'];
  if (/^(np|numpy)\.random\.seed$/.test(callee)) return ['numpy'];
  if (callee === 'random.seed') return ['python'];
  return [];
}

/** The global generators the script draws from: `random.shuffle(…)`, `np.random.rand(…)`. */
function drawsFrom(ctx: PlanContext): Map<Generator, number> {
  const used = new Map<Generator, number>();
  for (const { node, callee } of callsWithCallee(ctx, '(?:np|numpy)\\.random\\.\\w+|random\\.\\w+')) {
    const line = node.startPosition.row + 1;
    if (/^random\.(random|randint|randrange|choice|choices|shuffle|sample|uniform|gauss|normalvariate|getrandbits)$/.test(callee) && !used.has('python')) used.set('python', line);
    if (/^(np|numpy)\.random\.(?!seed$|default_rng$|RandomState$|Generator$|get_state$|set_state$)\w+$/.test(callee) && !used.has('numpy')) used.set('numpy', line);
  }
  return used;
}

export interface PartialSeeding {
  /** The script's own seeding statement, after which the rest is seeded. */
  statement: SyntaxNode;
  /** The seed it uses (`args.seed`). */
  value: string;
  /** Generators drawn from but not seeded, with the line of a draw. */
  missing: Array<[Generator, number]>;
}

/** The script seeds some generators (one call, with a seed value) but draws from others it leaves unseeded. */
export function partialSeeding(ctx: PlanContext): PartialSeeding | null {
  const calls = callsWithCallee(ctx, SEEDING_CALLS).filter((c) => seeds(c.callee).length > 0);
  const seeded = new Set(calls.flatMap((c) => seeds(c.callee)));
  const missing = [...drawsFrom(ctx)].filter(([g]) => !seeded.has(g));
  const first = calls.find((c) => positionalArguments(c.node).length > 0);
  if (!first || missing.length === 0) return null;
  const stmt = statementOf(first.node);
  if (stmt.type !== 'expression_statement') return null;
  return { statement: stmt, value: positionalArguments(first.node)[0]!.text, missing };
}

/** A seeding call that runs only when a seed is configured (`if cfg.get("seed"):`, `if args.seed is not None:`), with no else. */
export function seedingOnlyWhenConfigured(ctx: PlanContext): { ifStatement: SyntaxNode; call: SyntaxNode } | null {
  for (const { node, callee } of callsWithCallee(ctx, SEEDING_CALLS)) {
    if (seeds(callee).length === 0 && !/^(\w+\.)?seed$/.test(callee)) continue;
    const stmt = statementOf(node);
    const ifStmt = stmt.parent?.type === 'block' && stmt.parent.parent?.type === 'if_statement' ? stmt.parent.parent : null;
    const condition = ifStmt?.childForFieldName('condition');
    // `if cfg.get("seed"):`, `if seed is not None:`; not `if not seed:` or `if seed is None:` (those seed otherwise).
    if (!ifStmt || !condition || !/seed/i.test(condition.text) || /^not\b|\bis None\b|== *None/.test(condition.text.trim())) continue;
    if (ifStmt.namedChildren.some((c) => c.type === 'else_clause' || c.type === 'elif_clause')) continue;
    if (ifStmt.childForFieldName('consequence')?.namedChildren.length !== 1) continue;
    return { ifStatement: ifStmt, call: node };
  }
  return null;
}

/** Plan the seeding the script leaves out; null when placed, else why not. */
export function planSeedCoverage(ctx: PlanContext, seedAll: (value: string) => string[]): string | null {
  const value = ctx.options.seed!.value;
  const partial = partialSeeding(ctx);
  const conditional = seedingOnlyWhenConfigured(ctx);
  let placed = false;
  if (conditional) {
    // Without a configured seed the requested one goes in: through the script's own call when it
    // seeds everything (`seed_everything`), else to every generator.
    const fn = conditional.call.childForFieldName('function')!;
    const args = positionalArguments(conditional.call);
    const argList = conditional.call.childForFieldName('arguments')!;
    const ownSeedsAll = seeds(fn.text.replace(/\s+/g, '')).length === 3 && args.length > 0;
    const lines = ownSeedsAll ? [`${fn.text}(${value}${ctx.src.text.slice(args[0]!.endIndex, argList.endIndex - 1)})`] : seedAll(String(value));
    if (lines.length > 0) {
      ctx.b.insertAfter(conditional.ifStatement, ['else:', ...lines.map((l) => `    ${l}`)], 'seed', `the script seeds only when a seed is configured: otherwise expkit seeds with ${value}`);
      placed = true;
    }
  }
  if (partial) {
    const lines = seedAll(partial.value);
    const names = partial.missing.map(([g, line]) => `${g === 'python' ? "Python's random" : 'NumPy'} (line ${line})`).join(' and ');
    if (lines.length > 0) {
      ctx.b.insertBefore(partial.statement, lines, 'seed', `the script seeds only some generators and draws from ${names}: the same seed goes to all of them`);
      placed = true;
    }
  }
  return placed ? null : 'not needed';
}
