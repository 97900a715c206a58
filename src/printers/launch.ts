/** What `expkit launch` prints: the run, where its log is, and how to follow it. */
import type { Manifest } from '../launch/manifest.js';
import { RUN_FILES } from '../launch/paths.js';
import { join, dirname } from 'node:path';

function handleText(m: Manifest): string {
  const h = m.handle;
  if (h.jobId) return `SLURM job ${h.jobId}`;
  if (h.windowId) return `tmux window ${h.windowId} in session ${h.session}${h.socket ? ` (socket ${h.socket})` : ''}`;
  if (h.screenSession) return `screen session ${h.screenSession}`;
  return `process group ${h.pgid}`;
}

export function launchedJson(manifests: Manifest[], gpuNote: string | null, sweep: string | null = null) {
  return {
    schemaVersion: 1,
    ...(sweep !== null ? { sweep } : {}),
    runs: manifests.map((m) => ({
      name: m.name,
      backend: m.backend,
      handle: m.handle,
      seed: m.seed,
      command: m.command,
      logPath: m.logPath,
      manifestPath: join(dirname(m.logPath), RUN_FILES.manifest),
      cudaVisibleDevices: m.cudaVisibleDevices,
      ...(m.params ? { params: m.params } : {}),
    })),
    gpus: gpuNote,
  };
}

export function printLaunched(manifests: Manifest[], gpuNote: string | null, json: boolean, sweep: string | null = null): void {
  if (json) {
    process.stdout.write(JSON.stringify(launchedJson(manifests, gpuNote, sweep), null, 2) + '\n');
    return;
  }
  const lines: string[] = sweep !== null ? [`sweep ${sweep}: ${manifests.length} run${manifests.length === 1 ? '' : 's'}`] : [];
  for (const m of manifests) {
    lines.push(`launched ${m.name} on ${m.backend} (${handleText(m)})`, `  log: ${m.logPath}`);
  }
  if (gpuNote) lines.push(`gpus: ${gpuNote}`);
  const n = manifests.length === 1 ? manifests[0].name : 'RUN';
  lines.push('follow it with:', `  expkit status ${n}`, `  expkit logs ${n} -f`);
  if (manifests[0].backend === 'tmux' || manifests[0].backend === 'screen') lines.push(`  expkit attach ${n}`);
  lines.push(`  expkit wait ${n}`, `  expkit stop ${n}`);
  process.stdout.write(lines.join('\n') + '\n');
}
