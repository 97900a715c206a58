import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveInGroup, py, useProject } from '../support/runs.js';

describe('launch: refusals leave nothing half-created', () => {
  const p = useProject();
  const runs = () => (existsSync(join(p.dir, '.expkit', 'runs')) ? readdirSync(join(p.dir, '.expkit', 'runs')) : []);

  test.each([
    [['launch', '--backend', 'process', '--', 'no-such-command-xyz'], 2, 'command no-such-command-xyz was not found on PATH'],
    [['launch', '--backend', 'process', '--', '/usr/bin/python3', 'missing.py'], 2, 'script missing.py does not exist'],
    [['launch', '--backend', 'process', '--name', '../evil', '--', 'true'], 2, 'invalid run name "../evil"'],
    [['launch', '--backend', 'process', '--name', 'a\u0007b', '--', 'true'], 2, 'control characters'],
    [['launch', '--backend', 'nope', '--', 'true'], 2, 'unknown backend "nope"'],
    [['launch', '--backend', 'process', '--seeds', '1,x', '--', 'true'], 2, 'invalid --seeds'],
    [['launch', '--backend', 'process', '--gpus', 'first', '--', 'true'], 2, 'invalid --gpus'],
    [['launch', '--backend', 'process'], 2, 'nothing to launch'],
    [['launch', '--backend', 'process', 'nosuchslug'], 2, 'no experiment nosuchslug'],
    [['launch', '--backend', 'process', '--after', 'ghost', '--', 'true'], 2, 'no run named ghost'],
    [['launch', '--backend', 'process', '--name', 'trailing', '--', '/usr/bin/python3', 'job.py', '--mode', 'ok', '--model'], 0, ''],
  ])('%j → exit %i', async (args, code, message) => {
    const before = runs().length;
    const r = await p.cli(args as string[]);
    expect(r.exitCode).toBe(code);
    if (code !== 0) {
      expect(r.stderr).toContain(message);
      expect(runs().length).toBe(before);
    }
  });

  test('a busy name is refused (exit 3); a derived name is made unique', async () => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'taken', '--', 'true'])).exitCode).toBe(0);
    const again = await p.cli(['launch', '--backend', 'process', '--name', 'taken', '--', 'true']);
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toContain('a run named taken already exists');
    const a = await p.json(['launch', '--backend', 'process', ...py('ok')]);
    const b = await p.json(['launch', '--backend', 'process', ...py('ok')]);
    expect(a.runs[0].name).toMatch(/^job-\d{4}-\d{4}$/);
    // The same minute gives the same derived name: the second launch gets NAME-2.
    if (b.runs[0].name.startsWith(a.runs[0].name)) expect(b.runs[0].name).toBe(`${a.runs[0].name}-2`);
    else expect(b.runs[0].name).toMatch(/^job-\d{4}-\d{4}$/);
  });

  test('a backend that is not installed: exit 4 and no run folder', async () => {
    const before = runs().length;
    const r = await p.cli(['launch', '--backend', 'tmux', '--', '/bin/true'], { PATH: '/nonexistent' });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('backend tmux is not available');
    expect(runs().length).toBe(before);
  });

  test('arguments reach the command verbatim (no shell): quotes, $, spaces, newlines', async () => {
    const odd = ["it's", '$HOME', 'a b', 'x\ny', '`id`', '; rm -rf /'];
    const r = await p.json(['launch', '--backend', 'process', '--name', 'argv', '--', '/usr/bin/python3', '-c', 'import sys, json; print(json.dumps(sys.argv[1:]))', ...odd]);
    expect(r.runs[0].command.slice(3)).toEqual(odd);
    expect((await p.cli(['wait', 'argv', '--timeout', '30'])).exitCode).toBe(0);
    expect(JSON.parse(p.log('argv'))).toEqual(odd);
  });

  test('secrets never reach the run record', async () => {
    const env = { WANDB_API_KEY: 'sekrit-wandb-123', WANDB_PROJECT: 'proj', HF_TOKEN: 'sekrit-hf-456', WANDB_MODE: 'offline' };
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'secret', '--', 'true'], env)).exitCode).toBe(0);
    expect((await p.cli(['wait', 'secret', '--timeout', '30'])).exitCode).toBe(0);
    expect(p.manifest('secret').wandb).toEqual({ WANDB_PROJECT: 'proj', WANDB_MODE: 'offline' });
    for (const f of readdirSync(p.runDir('secret'))) {
      const text = readFileSync(join(p.runDir('secret'), f), 'utf8');
      expect(text).not.toContain('sekrit');
    }
  });

  test('status of an unknown run, logs -n, wait --timeout on a running run', async () => {
    const u = await p.cli(['status', 'ghost']);
    expect(u.exitCode).toBe(2);
    expect(u.stderr).toContain('no run named ghost');
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'lines', ...py('ok')])).exitCode).toBe(0);
    expect((await p.cli(['wait', 'lines', '--timeout', '30'])).exitCode).toBe(0);
    expect((await p.cli(['logs', 'lines', '-n', '2'])).stdout).toBe('warn 3\ndone\n');
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'follow', ...py('ok')])).exitCode).toBe(0);
    const followed = await p.cli(['logs', 'follow', '-f']);
    expect(followed.exitCode).toBe(0);
    expect(followed.stdout).toBe(p.log('follow'));
    expect(followed.stdout).toContain('done');
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'long', ...py('sleep')])).exitCode).toBe(0);
    const w = await p.cli(['wait', 'long', '--timeout', '0.5']);
    expect(w.exitCode).toBe(124);
    expect(w.stdout).toMatch(/long: (queued|running) after waiting 0.5s/);
    expect((await p.cli(['attach', 'long'])).exitCode).toBe(2);
    expect((await p.cli(['stop', 'long'])).exitCode).toBe(0);
  });

  test('stop escalates to SIGKILL when the command ignores SIGTERM', async () => {
    const ignoreTerm = 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print("epoch 1", flush=True); time.sleep(60)';
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'stubborn', '--', '/usr/bin/python3', '-c', ignoreTerm])).exitCode).toBe(0);
    const deadline = Date.now() + 20000;
    while (!p.log('stubborn').includes('epoch 1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const r = await p.cli(['stop', 'stubborn', '--grace', '1', '--json']);
    expect(r.exitCode).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'stopped', exitCode: 137, stopped: true });
  });

  test('stop right after launch leaves nothing running', async () => {
    const r = await p.json(['launch', '--backend', 'process', '--name', 'early', ...py('sleep')]);
    expect((await p.cli(['stop', 'early'])).exitCode).toBe(0);
    expect((await p.json(['status', 'early'])).state).toBe('stopped');
    const pgid = r.runs[0].handle.pgid;
    expect(liveInGroup(pgid)).toEqual([]);
  });
});
