/** The summary `expkit scaffold` prints: human-readable lines, or JSON with --json. */
import type { PlannedFile } from '../scaffold/plan.js';

export interface ScaffoldSummary {
  slug: string;
  framework: string;
  dryRun: boolean;
  /** The spec used, relative to the current directory, or null. */
  spec: string | null;
  /** The experiment directory, relative to the current directory. */
  directory: string;
  files: PlannedFile[];
  /** The approval id of this plan: `--plan-id` with it writes exactly these files. */
  planId: string;
  warnings: string[];
  next: { smoke: string; full: string; launch: string };
}

export function scaffoldJson(summary: ScaffoldSummary): string {
  const files = summary.files.map((f) => ({ path: f.projectPath, bytes: f.bytes, action: f.action, ...(f.backup ? { backup: f.backup } : {}) }));
  return JSON.stringify({ schemaVersion: 1, ...summary, files }, null, 2) + '\n';
}

const VERB: Record<PlannedFile['action'], [string, string]> = {
  written: ['wrote', 'would write'],
  skipped: ['unchanged', 'unchanged'],
  'backed-up': ['replaced', 'would replace'],
  conflict: ['exists', 'exists, differs'],
};

export function scaffoldText(summary: ScaffoldSummary): string {
  const source = summary.spec ? ` from ${summary.spec}` : ' (no spec found: defaults)';
  const lines = [`${summary.dryRun ? 'dry run, nothing written: ' : ''}${summary.framework} experiment ${summary.slug} in ${summary.directory}${source}`];
  const width = Math.max(...summary.files.map((f) => VERB[f.action][summary.dryRun ? 1 : 0].length));
  for (const f of summary.files) {
    const verb = VERB[f.action][summary.dryRun ? 1 : 0].padEnd(width);
    const backup = f.backup ? ` (old one kept as ${f.backup})` : '';
    lines.push(`  ${verb}  ${f.projectPath}  ${f.bytes} bytes${backup}`);
  }
  if (summary.dryRun && summary.files.some((f) => f.action === 'conflict')) {
    lines.push('existing files differ: writing needs --force (it keeps a backup of each)');
  }
  if (summary.dryRun) lines.push(`plan id: ${summary.planId} (write exactly this plan with --plan-id ${summary.planId})`);
  lines.push('next:', `  smoke run: ${summary.next.smoke}`, `  full run:  ${summary.next.full}`, `  launch:    ${summary.next.launch}`);
  return lines.join('\n') + '\n';
}
