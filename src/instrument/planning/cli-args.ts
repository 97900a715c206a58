/** Reading and extending the script's own command line (argparse). */
import type { SyntaxNode } from '../../parser/index.js';
import type { PlanContext } from './context.js';
import type { SetupScope } from './anchors.js';
import type { PatchKind } from '../types.js';

/** The variable holding parsed arguments in the setup scope (`args` in `vars(args)`), or null. */
export function argsName(setup: SetupScope): string | null {
  const m = /^vars\((\w+)\)$/.exec(setup.configExpr ?? '');
  return m ? m[1]! : null;
}

/** The dest of an existing argparse argument among `dests`, or null. */
export function existingArgument(ctx: PlanContext, dests: RegExp): string | null {
  if (ctx.analysis.config.kind !== 'argparse') return null;
  return ctx.analysis.config.arguments.find((a) => a.dest !== null && dests.test(a.dest))?.dest ?? null;
}

/** The statement after which new `add_argument` lines go: the last one, else the parser's creation. */
function argumentAnchor(ctx: PlanContext): SyntaxNode | null {
  const c = ctx.analysis.config;
  const lines = c.arguments.map((a) => a.line);
  const line = lines.length ? Math.max(...lines) : c.createdLine;
  return line ? ctx.statementAt(line) : null;
}

/** Add `parser.add_argument(...)` to the script's parser; false when there is no place for it. */
export function addArgument(ctx: PlanContext, call: string, kind: PatchKind, reason: string): boolean {
  const c = ctx.analysis.config;
  const anchor = argumentAnchor(ctx);
  if (c.kind !== 'argparse' || !c.parserVar || !anchor) return false;
  // A group's arguments parse the same way, but new flags belong to the parser itself.
  ctx.b.insertAfter(anchor, [`${c.parserVar}.add_argument(${call})`], kind, reason);
  return true;
}
