/** The `screen` backend: one detached session `expkit-NAME` per run. */
import { exec } from '../io/exec.js';
import type { Backend } from './types.js';
import { localProbe, signalWrapper } from './local.js';
import { commandOnPath } from '../launch/which.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { multiplexerEnv } from '../launch/env.js';

export function screenSessionName(run: string): string {
  return `expkit-${run}`;
}

async function sessionExists(session: string): Promise<boolean> {
  const r = await exec('screen', ['-ls', session]);
  return r.stdout.split('\n').some((l) => l.trim().split(/\s/)[0]?.replace(/^\d+\./, '') === session);
}

export const screenBackend: Backend = {
  name: 'screen',
  restartsRuns: false,
  async unavailable() {
    return commandOnPath('screen') ? null : 'GNU screen is not installed (apt-get install screen), or pick --backend process';
  },
  async start(runs) {
    const handles = [];
    for (const run of runs) {
      const session = screenSessionName(run.name);
      // The SCREEN process keeps its environment for the run's life: give it no secrets (see multiplexerEnv).
      const r = await exec('screen', ['-dmS', session, 'bash', run.wrapperPath], { cwd: run.cwd, env: multiplexerEnv(process.env) });
      if (r.exitCode !== 0) {
        throw new ExpkitError(`screen could not start a session: ${r.stderr.trim() || `exit ${r.exitCode}`}`, { exitCode: ExitCode.Unavailable });
      }
      handles.push({ screenSession: session });
    }
    return handles;
  },
  probe(manifest, dir) {
    return localProbe(dir, manifest, () => sessionExists(manifest.handle.screenSession ?? ''));
  },
  async terminate(manifest, dir, signal) {
    if (!signalWrapper(dir, manifest, signal) && signal === 'SIGKILL' && manifest.handle.screenSession) {
      await exec('screen', ['-S', manifest.handle.screenSession, '-X', 'quit']);
    }
  },
  async attachProblem(manifest) {
    return (await sessionExists(manifest.handle.screenSession ?? '')) ? null : `its screen session ${manifest.handle.screenSession} is gone; the run goes on without a terminal`;
  },
  attachArgv(manifest) {
    return ['screen', '-r', manifest.handle.screenSession ?? ''];
  },
};
