/**
 * The `tmux` backend: one session `experiments`, one window per run named after it. Windows are
 * addressed by their id (`@N`), since tmux allows duplicate names. `EXPKIT_TMUX_SOCKET` selects a
 * private server (`tmux -L NAME`), which the tests use.
 */
import { exec } from '../io/exec.js';
import type { Backend } from './types.js';
import { localProbe, signalWrapper } from './local.js';
import { identityOf } from './proc.js';
import { commandOnPath } from '../launch/which.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { multiplexerEnv } from '../launch/env.js';

export const TMUX_SESSION = 'experiments';

export function tmuxSocket(): string | null {
  return process.env.EXPKIT_TMUX_SOCKET || null;
}

function base(socket: string | null): string[] {
  return socket ? ['-L', socket] : [];
}

/**
 * No `-e`: with new-session it would become the session's environment, inherited by every later
 * window. The wrapper takes the launcher's environment from its `launch.env` file instead.
 */
async function tmux(socket: string | null, args: string[]) {
  return exec('tmux', [...base(socket), ...args], { env: multiplexerEnv(process.env) });
}

export const tmuxBackend: Backend = {
  name: 'tmux',
  restartsRuns: false,
  async unavailable() {
    return commandOnPath('tmux') ? null : 'tmux is not installed (apt-get install tmux), or pick --backend process';
  },
  async start(runs) {
    const socket = tmuxSocket();
    const handles = [];
    for (const run of runs) {
      const common = ['-n', run.name, '-P', '-F', '#{window_id} #{pane_pid}', '-c', run.cwd];
      const cmd = ['bash', run.wrapperPath];
      let r = await tmux(socket, ['new-window', '-d', '-t', `=${TMUX_SESSION}:`, ...common, ...cmd]);
      if (r.exitCode !== 0) {
        // No session yet: create it (another launch may win that race; then add a window).
        r = await tmux(socket, ['new-session', '-d', '-s', TMUX_SESSION, ...common, ...cmd]);
        if (r.exitCode !== 0 && /duplicate session/.test(r.stderr)) {
          r = await tmux(socket, ['new-window', '-d', '-t', `=${TMUX_SESSION}:`, ...common, ...cmd]);
        }
      }
      if (r.exitCode !== 0) {
        throw new ExpkitError(`tmux could not open a window: ${r.stderr.trim() || `exit ${r.exitCode}`}`, { exitCode: ExitCode.Unavailable });
      }
      const [windowId, panePid] = r.stdout.trim().split(' ');
      const id = identityOf(Number(panePid));
      handles.push({ socket, session: TMUX_SESSION, windowId, pid: Number(panePid), pgid: Number(panePid), startTime: id?.startTime ?? null, bootId: id?.bootId ?? null });
    }
    return handles;
  },
  probe(manifest, dir) {
    return localProbe(dir, manifest, async () => {
      const r = await tmux(manifest.handle.socket ?? null, ['list-windows', '-t', `=${TMUX_SESSION}`, '-F', '#{window_id}']);
      return r.exitCode === 0 && r.stdout.split('\n').includes(manifest.handle.windowId ?? '');
    });
  },
  async terminate(manifest, dir, signal) {
    if (!signalWrapper(dir, manifest, signal, manifest.handle.pid) && signal === 'SIGKILL' && manifest.handle.windowId) {
      await tmux(manifest.handle.socket ?? null, ['kill-window', '-t', manifest.handle.windowId]);
    }
  },
  async attachProblem(manifest) {
    const r = await tmux(manifest.handle.socket ?? null, ['list-windows', '-t', `=${TMUX_SESSION}`, '-F', '#{window_id}']);
    if (r.exitCode !== 0) return `its tmux server is not running any more (${r.stderr.trim() || 'no session'}); the run goes on without a terminal`;
    if (!r.stdout.split('\n').includes(manifest.handle.windowId ?? '')) return `its tmux window ${manifest.handle.windowId} is gone`;
    return null;
  },
  attachArgv(manifest) {
    const t = ['tmux', ...base(manifest.handle.socket ?? null)];
    return [...t, 'attach-session', '-t', `=${TMUX_SESSION}`, ';', 'select-window', '-t', manifest.handle.windowId ?? ''];
  },
};
