/** The `process` backend: a detached background process in its own session and process group. */
import { spawn } from 'node:child_process';
import type { Backend } from './types.js';
import { localProbe, signalWrapper, wrapperVerdict } from './local.js';
import { identityOf } from './proc.js';
import { RUN_ID_VAR } from '../launch/identity.js';

export const processBackend: Backend = {
  name: 'process',
  restartsRuns: false,
  async unavailable() {
    return null;
  },
  async start(runs) {
    const handles = [];
    for (const run of runs) {
      // The marker from the first instant (the PID can be checked before the wrapper writes its file);
      // the rest of the environment comes from launch.env, which the wrapper sources.
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(run.runId ? { [RUN_ID_VAR]: run.runId } : {}) };
      const child = spawn('bash', [run.wrapperPath], { cwd: run.cwd, detached: true, stdio: 'ignore', env });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid!));
        child.once('error', reject);
      });
      child.unref();
      const id = identityOf(pid);
      handles.push({ pid, pgid: pid, startTime: id?.startTime ?? null, bootId: id?.bootId ?? null });
    }
    return handles;
  },
  probe(manifest, dir) {
    return localProbe(dir, manifest, async () => manifest.handle.pid !== undefined && wrapperVerdict(dir, manifest, manifest.handle.pid).kind === 'ours');
  },
  async terminate(manifest, dir, signal) {
    signalWrapper(dir, manifest, signal, manifest.handle.pid);
  },
  attachArgv() {
    return null;
  },
};
