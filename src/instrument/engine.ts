/**
 * The patch engine: from a plan to a validated, reviewable patch. The planner decides which
 * edits to make; the engine splices them, checks the result parses, compiles and reads only
 * bound names, and makes the diff. Nothing here writes files (see apply.ts and revert.ts).
 */
import { createHash } from 'node:crypto';
import { analyzeParsed } from '../analyze/index.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import type { SourceFile } from '../io/read-source.js';
import type { PythonParser, SyntaxNode } from '../parser/index.js';
import { editsDiff } from './diff.js';
import { planPatches } from './plan.js';
import { firstReadPerKind, notOfferedReason, type UnboundInsertedRead } from './scope-check.js';
import { spliceEdits, withBom } from './splice.js';
import type { InstrumentOptions, PatchKind, PatchPlan } from './types.js';
import { finishValidation, startCpythonCheck, type StartedPythonCheck, type ValidateInput } from './validate.js';

/** The planner's signature: `planPatches` in plan.ts. */
export type Planner = typeof planPatches;

export interface BuildContext {
  parser: PythonParser;
  /** The path in the diff headers (see displayPathFor). */
  displayPath: string;
  /** Interpreter for the compile and scope checks (findPython()); null skips them. */
  python: string | null;
  /** A check process started ahead for `python` and `displayPath` (StartedPythonCheck.start): the first check uses it. */
  started?: StartedPythonCheck;
}

export interface BuiltPatch {
  /** The original, exactly as analysed. */
  file: SourceFile;
  displayPath: string;
  plan: PatchPlan;
  /** The patched text without a BOM. */
  patchedText: string;
  /** The patched file's bytes (BOM restored). */
  after: Buffer;
  /** Unified diff from the original to the patched file; '' when the plan has no edits. */
  diff: string;
  /** Things the user should know about the checks (e.g. no Python to compile with). */
  notes: string[];
}

/** Splice, validate and diff a plan. Rejects with a Refused ExpkitError when the result would not compile or reads an unbound name. */
export async function buildPatch(file: SourceFile, plan: PatchPlan, ctx: BuildContext): Promise<BuiltPatch> {
  const { built, unbound } = await buildChecked(file, plan, ctx);
  if (unbound.length > 0) throw unboundRefusal(ctx.displayPath, unbound[0]!);
  return built;
}

/** buildPatch, with the inserted reads of unbound names returned instead of thrown. `root`: the original's tree, when the caller has it. */
async function buildChecked(file: SourceFile, plan: PatchPlan, ctx: BuildContext, root?: SyntaxNode): Promise<{ built: BuiltPatch; unbound: UnboundInsertedRead[] }> {
  if (plan.edits.length === 0) {
    return { built: { file, displayPath: ctx.displayPath, plan, patchedText: file.text, after: file.bytes, diff: '', notes: [] }, unbound: [] };
  }
  const patchedText = spliceEdits(file, plan.edits);
  const after = Buffer.from(withBom(file, patchedText), 'utf8');
  const input: ValidateInput = {
    parser: ctx.parser,
    original: file,
    edits: plan.edits,
    patchedText,
    patchedBytes: after,
    path: ctx.displayPath,
    python: ctx.python,
    started: ctx.started,
    originalRoot: root,
  };
  const cpython = await startCpythonCheck(input);
  // The diff is made while CPython checks; it is dropped when the check finds an unbound read.
  const fullDiff = editsDiff(ctx.displayPath, file, plan.edits);
  const { notes, unbound } = await finishValidation(input, cpython);
  const diff = unbound.length > 0 ? '' : fullDiff;
  return { built: { file, displayPath: ctx.displayPath, plan, patchedText, after, diff, notes }, unbound };
}

/**
 * Analyse, plan and build: what `expkit instrument` previews. A kind whose inserted code reads a
 * name that is not bound there is not offered: the planner runs again without it, and the plan
 * says why it was skipped. When what remains still reads an unbound name, nothing is offered.
 */
export async function instrumentWithPlanner(file: SourceFile, options: InstrumentOptions, ctx: BuildContext, planner: Planner = planPatches): Promise<BuiltPatch> {
  // One parse serves the analysis and every plan.
  const parsed = ctx.parser.parse(file.text);
  try {
    const analysis = analyzeParsed(parsed, file, ctx.displayPath);
    const first = await buildChecked(file, planner(ctx.parser, analysis, file, options, parsed.root), ctx, parsed.root);
    if (first.unbound.length === 0) return first.built;
    const dropped = firstReadPerKind(first.unbound);
    const fewer: InstrumentOptions = { ...options };
    for (const d of dropped) delete fewer[d.kind];
    const plan = planner(ctx.parser, analysis, file, fewer, parsed.root);
    plan.skipped.push(...dropped.map((d) => ({ kind: d.kind, reason: notOfferedReason(d) })));
    const second = await buildChecked(file, plan, ctx, parsed.root);
    if (second.unbound.length > 0) throw unboundRefusal(ctx.displayPath, second.unbound[0]!);
    return second.built;
  } finally {
    parsed.dispose();
  }
}

function unboundRefusal(path: string, read: UnboundInsertedRead): ExpkitError {
  return new ExpkitError(
    `the patched ${path} would read \`${read.name}\` (${read.kind}, line ${read.line} of the patched file) where it is not assigned on every path; nothing was changed`,
    { exitCode: ExitCode.Refused, hint: "this is a bug in expkit's patch placement: please report it with the script" },
  );
}

/** The edits as the user sees them in --json and in records. */
export function editSummaries(plan: PatchPlan): { kind: PatchKind; line: number; reason: string }[] {
  // One entry per change the user reads about: a changed line and its `# expkit` marker, or the
  // import and set-up lines of one kind, are several edits with the same line, kind and reason.
  const seen = new Set<string>();
  return plan.edits
    .map((e) => ({ kind: e.kind, line: e.line, reason: e.reason }))
    .filter((e) => {
      const key = `${e.kind}\u0000${e.line}\u0000${e.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
