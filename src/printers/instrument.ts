/** What `expkit instrument`, `revert` and `patches` tell the user (on stderr for instrument, next to the diff on stdout). */
import { relative, sep } from 'node:path';
import type { BuiltPatch } from '../instrument/engine.js';
import type { PatchStatus } from '../instrument/status.js';

/** The plan explained, one line per edit, then warnings, skipped patches and notes on the checks. */
export function formatPlanSummary(built: BuiltPatch, file: string): string {
  const out: string[] = [];
  const { edits, warnings, skipped } = built.plan;
  if (edits.length > 0) {
    const kinds = [...new Set(edits.map((e) => e.kind))].join(', ');
    out.push(`expkit: ${edits.length} change${edits.length === 1 ? '' : 's'} to ${file} (${kinds}):`);
    for (const e of [...edits].sort((a, b) => a.line - b.line)) out.push(`  line ${String(e.line).padEnd(5)} ${e.kind.padEnd(10)} ${e.reason}`);
  }
  for (const w of warnings) out.push(`warning: ${w}`);
  for (const s of skipped) out.push(`skipped ${s.kind}: ${s.reason}`);
  for (const n of built.notes) out.push(`note: ${n}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

const STATE_TEXT: Record<PatchStatus['state'], string> = {
  applied: 'applied, file unchanged since',
  edited: 'applied, file edited since',
  original: 'file is back to its original (`expkit revert --all` retires the record)',
  interrupted: 'the newest layer was not written to the file (`expkit revert` retires it)',
  missing: 'file is missing',
};

/** One line per file (all its kinds, the newest layer's time, its state), then one indented line per layer. */
export function formatStatus(projectRoot: string, patches: PatchStatus[], scope: string): string {
  if (patches.length === 0) return `no expkit patches recorded for ${scope} (project ${projectRoot})\n`;
  const lines = patches.flatMap((p) => [
    `${p.file}  ${p.kinds.join(', ')}  applied ${p.appliedAt}  ${STATE_TEXT[p.state]}`,
    ...p.layers.map(
      (l) => `  layer ${l.layer}  ${l.kinds.join(', ').padEnd(10)}  ${l.appliedAt}  patch ${l.id}  backup ${relative(projectRoot, l.backup).split(sep).join('/')}`,
    ),
  ]);
  return `${lines.join('\n')}\n`;
}
