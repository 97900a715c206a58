/**
 * Patch planning: which edits turn the analysed script into a tracked, seeded, resumable one.
 * Pure: it reads the source and its syntax tree and returns edits; the engine applies them.
 *
 * The integration that drives the script's training (integrations/) plans each requested kind
 * into a fragment of its own; a fragment is kept only when its plan succeeds. The kept fragments
 * are then assembled: list keywords several kinds add to get one edit, lines changed in place
 * get the marker, and imports, helpers and set-up statements go once after the file's imports.
 */
import type { Analysis } from '../analyze/types.js';
import { lineAt, lineText, type SourceText } from '../core/source-text.js';
import type { PythonParser, SyntaxNode } from '../parser/index.js';
import { integrationFor } from './integrations/index.js';
import type { KindPlanner } from './integrations/types.js';
import { writeListMerge } from './planning/call-edits.js';
import { PlanContext, type Fragment, type ListMerge } from './planning/context.js';
import { EditBuilder } from './planning/edit-builder.js';
import { planSeedDefault, randomSeedDefault } from './planning/seed-default.js';
import { planSeedCoverage } from './planning/seed-coverage.js';
import { keepWandbMetricsLocally } from './planning/local-metrics.js';
import { EXPKIT_MARKER, PATCH_KINDS, type InstrumentOptions, type PatchKind, type PatchPlan, type TextEdit } from './types.js';

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
  const requested = PATCH_KINDS.filter((k) => options[k] !== undefined);
  if (analysis.parseErrors.length > 0) {
    const lines = analysis.parseErrors.map((e) => e.line).join(', ');
    return { edits: [], warnings: [], skipped: requested.map((kind) => ({ kind, reason: `the file has syntax errors (line ${lines}); fix them first` })) };
  }
  const ctx = new PlanContext(analysis, src, root, options);
  const integration = integrationFor(ctx);
  const planners: Record<PatchKind, KindPlanner> = {
    checkpoint: integration.checkpoint,
    seed: (c) => {
      if (!analysis.existing.seed.present) return integration.seed(c);
      // Seeding from an argument that defaults to None repeats nothing: its default becomes the seed.
      const unseeded = randomSeedDefault(c);
      if (unseeded) return planSeedDefault(c, unseeded);
      // Seeding only when a seed is configured, or of some generators only, leaves runs differing.
      const covered = planSeedCoverage(c, (value) => integration.seedAll?.(c, value) ?? []);
      return covered === null ? null : `the script already seeds (line ${analysis.existing.seed.lines.join(', ')})`;
    },
    wandb: (c) => {
      if (analysis.existing.wandb.present) return `the script already tracks with wandb (line ${analysis.existing.wandb.lines.join(', ')})`;
      const skipped = integration.wandb(c);
      if (skipped === null) keepWandbMetricsLocally(c);
      return skipped;
    },
  };
  const fragments: Fragment[] = [];
  const skipped: PatchPlan['skipped'] = [];
  // Checkpoint first: wandb needs to know whether a run id will be stored for resuming.
  for (const kind of (['checkpoint', 'seed', 'wandb'] as const).filter((k) => options[k] !== undefined)) {
    const result = ctx.planFragment(kind, planners[kind]);
    if (typeof result === 'string') skipped.push({ kind, reason: result });
    else fragments.push(result);
  }
  skipped.sort((a, b) => requested.indexOf(a.kind) - requested.indexOf(b.kind));
  return { edits: assemble(ctx, fragments), warnings: fragments.flatMap((f) => f.warnings), skipped };
}

function assemble(ctx: PlanContext, fragments: Fragment[]): TextEdit[] {
  const edits = fragments.flatMap((f) => f.b.edits);
  const merged: Fragment[] = [];
  for (const merge of combinedListMerges(fragments)) {
    const written = ctx.planFragment(merge.kind, (c) => {
      writeListMerge(c, merge);
      return null;
    });
    if (typeof written !== 'string') merged.push(written);
  }
  edits.push(...merged.flatMap((f) => f.b.edits));
  edits.push(...markChangedLines(ctx.src, edits));
  if (edits.length > 0 || fragments.some((f) => f.preamble.length > 0)) edits.push(...preambleEdits(ctx, [...fragments, ...merged]));
  return mergeInsertions(edits);
}

/** Elements several kinds add to the same keyword (`callbacks=`) become one merge, in plan order. */
function combinedListMerges(fragments: Fragment[]): ListMerge[] {
  const byKey = new Map<string, ListMerge>();
  for (const f of fragments) {
    for (const [key, m] of f.listMerges) {
      const seen = byKey.get(key);
      if (!seen) byKey.set(key, { ...m, elements: [...m.elements], reasons: [...m.reasons] });
      else {
        seen.elements.push(...m.elements);
        for (const r of m.reasons) if (!seen.reasons.includes(r)) seen.reasons.push(r);
      }
    }
  }
  return [...byKey.values()];
}

/**
 * Imports, helper functions and module-level set-up lines, once, right after the file's imports.
 * Each kind's lines are an edit of that kind, so the summary says which patch needs what.
 */
function preambleEdits(ctx: PlanContext, fragments: Fragment[]): TextEdit[] {
  const segments: { kind: PatchKind; lines: string[]; reason?: string }[] = [];
  const importSeen = new Set<string>();
  for (const f of fragments) {
    const lines = [...f.imports].filter((l) => !importSeen.has(l));
    lines.forEach((l) => importSeen.add(l));
    if (lines.length) segments.push({ kind: f.kind, lines });
  }
  const helperSeen = new Set<string>();
  for (const f of fragments) {
    for (const [name, helper] of f.helpers) {
      if (helperSeen.has(name)) continue;
      helperSeen.add(name);
      segments.push({ kind: f.kind, lines: [...(segments.length ? ['', ''] : []), ...helper] });
    }
  }
  let firstStatement = true;
  for (const f of fragments) {
    if (!f.preamble.length) continue;
    segments.push({ kind: f.kind, lines: [...(firstStatement && helperSeen.size ? ['', ''] : []), ...f.preamble], reason: f.preambleReasons.join('; ') || undefined });
    firstStatement = false;
  }
  if (segments.length === 0) return [];
  const b = new EditBuilder(ctx.src);
  const reason = 'imports and helpers the patch uses';
  const importsEnd = ctx.analysis.imports?.endLine;
  const first = ctx.root.namedChildren.find((n) => n.type !== 'comment');
  for (const s of segments) {
    const why = s.reason ?? reason;
    if (importsEnd) b.insertAfterLine(importsEnd, s.lines, s.kind, why, '');
    // No imports: after a module docstring, else before the first statement (shebang/comments stay first).
    else if (!first) return [];
    else if (first.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') b.insertAfter(first, s.lines, s.kind, why, '');
    else b.insertBefore(first, s.lines, s.kind, why, '');
  }
  return b.edits;
}

/**
 * Edits inside existing lines (`report_to="wandb"`, `ckpt_path="last"`) mark the line they end on with
 * `# expkit` too, so expkit's own code is recognisable. Whole inserted lines carry it already; a
 * re-indented line (try/finally) is the user's code and stays unmarked.
 */
function markChangedLines(src: SourceText, edits: readonly TextEdit[]): TextEdit[] {
  const b = new EditBuilder(src);
  const marked = new Set<number>();
  for (const e of edits) {
    const wholeLines = e.text.endsWith(src.eol) || (e.start === e.end && /^[ \t]*$/.test(e.text));
    if (wholeLines) continue;
    const line = lineAt(src, Math.max(e.start, e.end - 1));
    if (marked.has(line)) continue;
    const text = lineText(src, line);
    if (text.includes(EXPKIT_MARKER) || /\\\s*$/.test(text)) continue;
    marked.add(line);
    const lineEnd = src.lineStarts[line - 1]! + text.length;
    b.insertText(lineEnd, `  ${EXPKIT_MARKER}`, e.kind, e.reason);
  }
  return b.edits;
}

/** Zero-width insertions of one kind at the same place become one edit, in the order they were planned. */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  const out: TextEdit[] = [];
  for (const { e } of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.start === prev.end && e.start === e.end && prev.start === e.start && prev.kind === e.kind) {
      out[out.length - 1] = { ...prev, text: prev.text + e.text, reason: prev.reason === e.reason ? prev.reason : `${prev.reason}; ${e.reason}` };
    } else out.push({ ...e });
  }
  return out;
}
