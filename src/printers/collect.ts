/** The collect report as Markdown. */
import type { CollectReport } from '../collect/report.js';
import { fmt } from '../collect/stats.js';

export function collectMarkdown(r: CollectReport): string {
  const lines = [`## Results: ${r.slug}`, '', `Outcome: **${r.outcome}** (${r.reason})`, ''];
  if (r.keyResult) lines.push(`Key result: ${r.keyResult}`, '');
  if (r.metrics.length) {
    lines.push('| metric | goal | mean ± std | n | baseline | delta |', '| --- | --- | --- | --- | --- | --- |');
    for (const m of r.metrics) {
      const delta = m.delta === null ? '-' : `${m.delta >= 0 ? '+' : ''}${fmt(m.delta)}${m.improved ? ' (better)' : ' (worse)'}`;
      lines.push(`| ${m.metric}${m.metric === r.primaryMetric ? ' (primary)' : ''} | ${m.direction} | ${fmt(m.mean)} ± ${fmt(m.std)} | ${m.n} | ${m.baseline ?? '-'} | ${delta} |`);
    }
    lines.push('');
  }
  lines.push(`Seeds with results: ${r.seeds.length ? r.seeds.join(', ') : 'none'}`);
  if (r.divergedSeeds.length) lines.push(`Seeds that diverged (non-finite loss, not averaged): ${r.divergedSeeds.join(', ')}`);
  if (r.missingSeeds.length) lines.push(`Seeds without results: ${r.missingSeeds.join(', ')}`);
  for (const c of r.crashedSeeds) lines.push(`Seed ${c.seed} crashed${c.run ? ` (run ${c.run})` : ''}: ${c.line ?? 'no error line in its log'}`);
  return lines.join('\n') + '\n';
}
