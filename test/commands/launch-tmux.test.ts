import { backendSuite } from '../support/backend-suite.js';
import { spawnSync } from 'node:child_process';
import { commandExists, describeWith } from '../support/components.js';
import { makeProject, py } from '../support/runs.js';

describeWith('tmux', commandExists('tmux'))('launch --backend tmux (private socket)', () => {
  backendSuite('tmux', () => ({}), (handle) => {
    expect(handle).toMatchObject({ session: 'experiments', windowId: expect.stringMatching(/^@\d+$/), socket: expect.stringMatching(/^expkit-test-/) });
  });
});

describeWith('tmux', commandExists('tmux'))('tmux: windows and a dead server', () => {
  test('one session "experiments", one window per run named after it; a run outlives a killed tmux server', async () => {
    const p = makeProject();
    try {
      for (const n of ['w1', 'w2']) expect((await p.cli(['launch', '--backend', 'tmux', '--name', n, ...py('sleep')])).exitCode).toBe(0);
      const windows = spawnSync('tmux', ['-L', p.env.EXPKIT_TMUX_SOCKET, 'list-windows', '-t', 'experiments', '-F', '#{window_name}'], { encoding: 'utf8' });
      expect(windows.stdout.trim().split('\n').sort()).toEqual(['w1', 'w2']);
      const deadline = Date.now() + 20000;
      while ((await p.json(['status', 'w1'])).state !== 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const attach = await p.cli(['attach', 'w1']);
      expect(attach.exitCode).toBe(2);
      expect(attach.stderr).toContain('attach needs a terminal');
      spawnSync('tmux', ['-L', p.env.EXPKIT_TMUX_SOCKET, 'kill-server']);
      const dead = await p.cli(['attach', 'w1']);
      expect(dead.exitCode).toBe(1);
      expect(dead.stderr).toContain('cannot attach to w1: its tmux server is not running any more');
      expect((await p.json(['status', 'w1'])).state).toBe('running');
      for (const n of ['w1', 'w2']) expect((await p.cli(['stop', n])).exitCode).toBe(0);
      expect((await p.json(['status', 'w1'])).state).toBe('stopped');
    } finally {
      p.cleanup();
    }
  });
});
