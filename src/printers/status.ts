/** Human and JSON forms of run status. */
import type { RunView } from '../launch/view.js';

export function statusJson(v: RunView) {
  return {
    name: v.name,
    backend: v.backend,
    state: v.state,
    reason: v.reason,
    exitCode: v.exitCode,
    startedAt: v.startedAt,
    endedAt: v.endedAt,
    durationSec: v.durationSec,
    slug: v.slug,
    seed: v.seed,
    handle: v.handle,
    logPath: v.logPath,
    manifestPath: v.manifestPath,
    progress: v.progress,
    progressNumbers: v.progressNumbers,
    eta: v.eta,
    anomalies: v.anomalies,
  };
}

function duration(sec: number | null): string {
  if (sec === null) return '-';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

export function statusTable(views: RunView[]): string {
  if (views.length === 0) return 'no runs yet (expkit launch -- COMMAND starts one)\n';
  const rows = [['NAME', 'BACKEND', 'STATE', 'EXIT', 'STARTED', 'DURATION', 'ISSUES']];
  for (const v of views) {
    const issues = [...new Set(v.anomalies.map((a) => a.kind))].join(',');
    rows.push([v.name, v.backend ?? '-', v.state, v.exitCode === null ? '-' : String(v.exitCode), v.startedAt?.replace(/\.\d+Z$/, 'Z') ?? '-', duration(v.durationSec), issues || '-']);
  }
  return table(rows);
}

export function statusDetail(v: RunView): string {
  const lines = [
    `run:      ${v.name}`,
    `state:    ${v.state}${v.reason && v.state !== 'succeeded' ? ` (${v.reason})` : ''}`,
    `backend:  ${v.backend ?? '-'}`,
    `exit:     ${v.exitCode ?? '-'}`,
    `started:  ${v.startedAt ?? '-'}`,
    `ended:    ${v.endedAt ?? '-'}`,
    `duration: ${duration(v.durationSec)}`,
    `progress: ${v.progress ?? '-'}`,
    ...(v.eta !== null ? [`eta:      ${duration(v.eta)}`] : []),
    `log:      ${v.logPath}`,
  ];
  for (const a of v.anomalies) lines.push(`problem:  ${a.kind} at log line ${a.line}: ${a.text}`, `  fix:    ${a.suggestion}`);
  return lines.join('\n') + '\n';
}
