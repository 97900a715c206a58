/**
 * A seed argument that defaults to None, for a script that draws a seed at random (or seeds only)
 * when none is given, does not make runs repeat: "the script already seeds" is wrong there.
 * With `--seed N` the argument's default becomes N.
 *
 * The analyzer is gaining this finding (`existing.seed.randomDefault`); until then it is read
 * here from the parsed arguments and the tree, in one place to swap.
 */
import type { ConfigArgument } from '../../analyze/types.js';
import type { SyntaxNode } from '../../parser/index.js';
import { addKeyword, keywordValue } from './call-edits.js';
import type { PlanContext } from './context.js';
import { SEED_DESTS } from './seed-value.js';


/** The script's seed argument when it defaults to None and the script tests it for None; else null. */
export function randomSeedDefault(ctx: PlanContext): ConfigArgument | null {
  const c = ctx.analysis.config;
  if (c.kind !== 'argparse') return null;
  const arg = c.arguments.find((a) => a.dest !== null && SEED_DESTS.test(a.dest) && (a.default === null || a.default === 'None'));
  if (!arg) return null;
  const vars = c.argsVars.length ? c.argsVars : c.argsVar ? [c.argsVar] : [];
  const attr = (v: string) => `${v}\\s*\\.\\s*${arg.dest}`;
  // `if args.seed is None:` (draw one), `if args.seed is not None:` / `if args.seed:` (seed only then).
  const tests = vars.map((v) => new RegExp(`^(not\\s+)?${attr(v)}\\s*(is\\s+(not\\s+)?None|[!=]=\\s*None)?$`));
  const tested = ctx.syntax.conditions.some((c) => tests.some((t) => t.test(c.text)));
  return tested || ctx.analysis.existing.seed.randomDefault ? arg : null;
}

/** Make `value` the default of the seed argument: replace `default=None`, or add `default=N`. */
export function setSeedDefault(ctx: PlanContext, arg: ConfigArgument, value: number): boolean {
  const call = addArgumentCall(ctx, arg);
  if (!call) return false;
  const current = keywordValue(ctx, call, 'default');
  const reason = `the seed argument defaults to ${value} instead of None, so a run without --seed repeats`;
  if (current) ctx.b.replace(current, String(value), 'seed', reason);
  else addKeyword(ctx, call, `default=${value}`, 'seed', reason);
  return true;
}

function addArgumentCall(ctx: PlanContext, arg: ConfigArgument): SyntaxNode | null {
  return ctx.callsTo('(?:\\w+\\.)*add_argument').find((c) => c.startPosition.row + 1 === arg.line || (c.startPosition.row + 1 <= arg.line && c.endPosition.row + 1 >= arg.line)) ?? null;
}

/** The seed plan for a script that seeds itself from such an argument: only its default changes. */
export function planSeedDefault(ctx: PlanContext, arg: ConfigArgument): string | null {
  return setSeedDefault(ctx, arg, ctx.options.seed!.value) ? null : `the seed argument at line ${arg.line} could not be located`;
}
