/**
 * Patch planning: which edits turn the analysed script into a tracked, seeded, resumable one.
 * Pure: it reads the source and its syntax tree and returns edits; the engine applies them.
 */
import type { Analysis } from '../analyze/types.js';
import type { SourceText } from '../core/source-text.js';
import type { PythonParser, SyntaxNode } from '../parser/index.js';
import { flushListMerges } from './planners/call-edits.js';
import { checkpointPath, planCheckpoint } from './planners/checkpoint.js';
import { PlanContext } from './planners/context.js';
import { planSeed } from './planners/seed.js';
import { planWandb } from './planners/wandb.js';
import { EXPKIT_MARKER, type InstrumentOptions, type PatchKind, type PatchPlan, type TextEdit } from './types.js';
import { lineAt, lineText } from '../core/source-text.js';

/** Plans the patches; `root` is the tree the analysis came from, when the caller still has it. */
export function planPatches(parser: PythonParser, analysis: Analysis, src: SourceText, options: InstrumentOptions, root?: SyntaxNode): PatchPlan {
  if (root) return planWithTree(root, analysis, src, options);
  const parsed = parser.parse(src.text);
  try {
    return planWithTree(parsed.root, analysis, src, options);
  } finally {
    parsed.dispose();
  }
}

function planWithTree(root: SyntaxNode, analysis: Analysis, src: SourceText, options: InstrumentOptions): PatchPlan {
  const ctx = new PlanContext(analysis, src, root, options);
  const skipped: PatchPlan['skipped'] = [];
  const preamble: { kind: PatchKind; lines: string[] }[] = [];
  const run = (kind: PatchKind, planner: (pre: string[]) => string | null) => {
    const pre: string[] = [];
    const before = ctx.b.edits.length;
    const merges = new Set(ctx.listMerges.keys());
    const why = planner(pre);
    if (why) {
      // A planner that gives up leaves nothing half-placed.
      ctx.b.edits.splice(before);
      for (const key of ctx.listMerges.keys()) if (!merges.has(key)) ctx.listMerges.delete(key);
      skipped.push({ kind, reason: why });
    } else if (pre.length) preamble.push({ kind, lines: pre });
  };
  if (analysis.parseErrors.length > 0) {
    return { edits: [], warnings: [], skipped: kindsOf(options).map((kind) => ({ kind, reason: `the file has syntax errors (line ${analysis.parseErrors.map((e) => e.line).join(', ')}); fix them first` })) };
  }
  // Checkpoint first: wandb needs to know whether a run id will be stored for resuming.
  if (options.checkpoint) run('checkpoint', () => planCheckpoint(ctx));
  const ckptPlaced = options.checkpoint !== undefined && !skipped.some((s) => s.kind === 'checkpoint') && analysis.framework.name !== 'hf-trainer' && analysis.framework.name !== 'lightning' && analysis.framework.name !== 'keras';
  if (options.seed) run('seed', (pre) => planSeed(ctx, pre));
  if (options.wandb) run('wandb', (pre) => planWandb(ctx, pre, ckptPlaced ? checkpointPath(ctx) : null));

  flushListMerges(ctx);
  markChangedLines(ctx);
  if (ctx.b.edits.length > 0 || preamble.length > 0) placePreamble(ctx, preamble);
  return { edits: mergeInsertions(ctx.b.edits), warnings: ctx.warnings, skipped };
}

function kindsOf(options: InstrumentOptions): PatchKind[] {
  return (['wandb', 'seed', 'checkpoint'] as const).filter((k) => options[k] !== undefined);
}

/** Imports, helper functions and module-level set-up lines, once, right after the file's imports. */
function placePreamble(ctx: PlanContext, preamble: { kind: PatchKind; lines: string[] }[]): void {
  const lines: string[] = [...ctx.imports];
  for (const helper of ctx.helpers.values()) lines.push('', '', ...helper);
  const statements = preamble.flatMap((p) => p.lines);
  if (statements.length) lines.push(...(ctx.helpers.size ? ['', ''] : []), ...statements);
  if (lines.length === 0) return;
  const kind: PatchKind = ctx.imports.has('import wandb') ? 'wandb' : (preamble[0]?.kind ?? (ctx.helpers.has('_expkit_seed_everything') ? 'seed' : 'checkpoint'));
  const reason = 'imports and helpers the patch uses';
  const importsEnd = ctx.analysis.imports?.endLine;
  if (importsEnd) {
    ctx.b.insertAfterLine(importsEnd, lines, kind, reason, '');
    return;
  }
  // No imports: after a module docstring, else before the first statement (shebang/comments stay first).
  const first = ctx.root.namedChildren.find((n) => n.type !== 'comment');
  if (!first) return;
  if (first.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') ctx.b.insertAfter(first, lines, kind, reason, '');
  else ctx.b.insertBefore(first, lines, kind, reason, '');
}

/**
 * Edits inside existing lines (`report_to="wandb"`, `ckpt_path="last"`) mark the line they end on with
 * `# expkit` too, so expkit's own code is recognisable. Whole inserted lines carry it already; a
 * re-indented line (try/finally) is the user's code and stays unmarked.
 */
function markChangedLines(ctx: PlanContext): void {
  const src = ctx.src;
  const marked = new Set<number>();
  for (const e of [...ctx.b.edits]) {
    const wholeLines = e.text.endsWith(src.eol) || (e.start === e.end && /^[ \t]*$/.test(e.text));
    if (wholeLines) continue;
    const line = lineAt(src, Math.max(e.start, e.end - 1));
    if (marked.has(line)) continue;
    const text = lineText(src, line);
    if (text.includes(EXPKIT_MARKER) || /\\\s*$/.test(text)) continue;
    marked.add(line);
    const lineEnd = src.lineStarts[line - 1]! + text.length;
    ctx.b.insertText(lineEnd, `  ${EXPKIT_MARKER}`, e.kind, e.reason);
  }
}

/** Zero-width insertions at the same place become one edit, in the order they were planned. */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  const out: TextEdit[] = [];
  for (const { e } of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.start === prev.end && e.start === e.end && prev.start === e.start) {
      out[out.length - 1] = { ...prev, text: prev.text + e.text, reason: prev.reason === e.reason ? prev.reason : `${prev.reason}; ${e.reason}` };
    } else out.push({ ...e });
  }
  return out;
}
