/** `expkit compare` as text: one table of runs, then configurations, best and baseline. */
import { fmt } from '../collect/stats.js';
import type { CompareReport } from '../compare/report.js';
import { table } from './status.js';

const num = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : fmt(v));

export function compareText(r: CompareReport): string {
  const p = r.differingParams;
  const head = ['RUN', 'CONFIG', 'SEED', 'STATE', 'SOURCE', ...p, ...r.metrics.flatMap((m) => [`${m} final`, `${m} best`])];
  const rows = r.runs.map((x) => [x.name, String(x.configuration), x.seed === null ? '-' : String(x.seed), x.state, x.source ?? '-', ...p.map((k) => x.params[k] ?? ''), ...r.metrics.flatMap((m) => [num(x.final[m]), num(x.best[m])])]);
  let out = table([head, ...rows]) + '\n';
  const chead = ['CONFIG', ...p, ...r.metrics.map((m) => `${m} (mean ± std, n)`), ...(r.baseline ? ['vs baseline (delta, p, n)'] : [])];
  const crows = r.configurations.map((c) => {
    const base = c.vsBaseline;
    const vs = r.baseline ? [c.configuration === r.baseline.configuration ? 'baseline' : base ? `${base.delta >= 0 ? '+' : ''}${fmt(base.delta)}, p=${base.p === null ? '-' : fmt(base.p, 3)}, n=${base.n}` : '-'] : [];
    return [String(c.configuration), ...p.map((k) => c.params[k] ?? ''), ...r.metrics.map((m) => {
      const s = c.metrics[m];
      return s ? `${fmt(s.mean)} ± ${fmt(s.std)} (n=${s.n})` : '-';
    }), ...vs];
  });
  out += '\n' + table([chead, ...crows]) + '\n';
  if (r.best) out += `\nBest: configuration ${r.best.configuration} by ${r.best.metric} (${r.best.direction} is better): mean ${fmt(r.best.mean)}\n`;
  if (r.baseline) out += `Baseline: ${r.baseline.run !== null ? `run ${r.baseline.run} (configuration ${r.baseline.configuration})` : `value ${r.baseline.value}`}; Welch's t-test on ${r.primaryMetric}\n`;
  for (const w of r.warnings) out += `Warning: ${w}\n`;
  return out;
}
