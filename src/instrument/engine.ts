/**
 * The patch engine: from a plan to a validated, reviewable patch. The planner decides which
 * edits to make; the engine splices them, checks the result parses and compiles, and makes
 * the diff. Nothing here writes files (see apply.ts and revert.ts).
 */
import { createHash } from 'node:crypto';
import { analyzeParsed } from '../analyze/index.js';
import type { SourceFile } from '../io/read-source.js';
import type { PythonParser } from '../parser/index.js';
import { unifiedDiff } from './diff.js';
import { planPatches } from './plan.js';
import { spliceEdits, withBom } from './splice.js';
import type { InstrumentOptions, PatchKind, PatchPlan } from './types.js';
import { validatePatched } from './validate.js';

/** The planner's signature: `planPatches` in plan.ts. */
export type Planner = typeof planPatches;

export interface BuildContext {
  parser: PythonParser;
  /** The path in the diff headers (see displayPathFor). */
  displayPath: string;
  /** Interpreter for the compile check (findPython()); null skips it. */
  python: string | null;
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

/** Splice, validate and diff a plan. Throws a Refused ExpkitError when the result would not compile. */
export function buildPatch(file: SourceFile, plan: PatchPlan, ctx: BuildContext): BuiltPatch {
  if (plan.edits.length === 0) {
    return { file, displayPath: ctx.displayPath, plan, patchedText: file.text, after: file.bytes, diff: '', notes: [] };
  }
  const patchedText = spliceEdits(file, plan.edits);
  const after = Buffer.from(withBom(file, patchedText), 'utf8');
  const notes = validatePatched({
    parser: ctx.parser,
    original: file,
    edits: plan.edits,
    patchedText,
    patchedBytes: after,
    path: ctx.displayPath,
    python: ctx.python,
  });
  const diff = unifiedDiff(ctx.displayPath, withBom(file, file.text), withBom(file, patchedText));
  return { file, displayPath: ctx.displayPath, plan, patchedText, after, diff, notes };
}

/** Analyse, plan and build: what `expkit instrument` previews. */
export function instrumentWithPlanner(file: SourceFile, options: InstrumentOptions, ctx: BuildContext, planner: Planner = planPatches): BuiltPatch {
  // One parse serves the analysis and the plan.
  const parsed = ctx.parser.parse(file.text);
  let plan: PatchPlan;
  try {
    plan = planner(ctx.parser, analyzeParsed(parsed, file, ctx.displayPath), file, options, parsed.root);
  } finally {
    parsed.dispose();
  }
  return buildPatch(file, plan, ctx);
}

/** The edits as the user sees them in --json and in records. */
export function editSummaries(plan: PatchPlan): { kind: PatchKind; line: number; reason: string }[] {
  return plan.edits.map((e) => ({ kind: e.kind, line: e.line, reason: e.reason }));
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
