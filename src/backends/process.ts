/** The `process` backend: a detached background process in its own session and process group. */
import { spawn } from 'node:child_process';
import type { Backend } from './types.js';
import { localProbe, signalWrapper } from './local.js';
import { isAliveRunning } from './proc.js';
import { RUN_FILES } from '../launch/paths.js';

export const processBackend: Backend = {
  name: 'process',
  restartsRuns: false,
  async unavailable() {
    return null;
  },
  async start(runs) {
    const handles = [];
    for (const run of runs) {
      const child = spawn('bash', [run.wrapperPath], { cwd: run.cwd, detached: true, stdio: 'ignore' });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid!));
        child.once('error', reject);
      });
      child.unref();
      handles.push({ pid, pgid: pid });
    }
    return handles;
  },
  probe(manifest, dir) {
    return localProbe(dir, async () => manifest.handle.pid !== undefined && isAliveRunning(manifest.handle.pid, RUN_FILES.wrapper));
  },
  async terminate(manifest, dir, signal) {
    signalWrapper(dir, signal, manifest.handle.pid);
  },
  attachArgv() {
    return null;
  },
};
