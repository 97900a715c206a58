import { py, useProject } from '../support/runs.js';

describe('local --after, --seeds and --smoke (process backend)', () => {
  const p = useProject();

  test('--after waits for the run to succeed; after a failure the run is not started, with the reason', async () => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'a1', ...py('ok')])).exitCode).toBe(0);
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'a2', '--after', 'a1', ...py('ok')])).exitCode).toBe(0);
    expect((await p.cli(['wait', 'a2', '--timeout', '30'])).exitCode).toBe(0);
    const [s1, s2] = [await p.json(['status', 'a1']), await p.json(['status', 'a2'])];
    expect(Date.parse(s2.startedAt)).toBeGreaterThanOrEqual(Date.parse(s1.endedAt));

    expect((await p.cli(['launch', '--backend', 'process', '--name', 'b1', ...py('fail')])).exitCode).toBe(0);
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'b2', '--after', 'b1', ...py('ok')])).exitCode).toBe(0);
    const w = await p.cli(['wait', 'b2', '--timeout', '30']);
    expect(w.exitCode).toBe(1);
    const s = await p.json(['status', 'b2']);
    expect(s).toMatchObject({ state: 'not_started', exitCode: null, startedAt: null, reason: 'not started: b1 ended with exit code 3' });
    expect(p.log('b2')).toBe('');
  });

  test('a run waiting for --after can be stopped before it starts', async () => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'c1', ...py('sleep')])).exitCode).toBe(0);
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'c2', '--after', 'c1', ...py('ok')])).exitCode).toBe(0);
    expect((await p.json(['status', 'c2'])).state).toBe('queued');
    expect((await p.cli(['stop', 'c2'])).exitCode).toBe(0);
    expect((await p.json(['status', 'c2'])).state).toMatch(/stopped|not_started/);
    expect((await p.cli(['stop', 'c1'])).exitCode).toBe(0);
    expect((await p.json(['status', 'c1'])).state).toBe('stopped');
  });

  test('a run whose processes vanish without an exit code is lost', async () => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'gone', ...py('sleep')])).exitCode).toBe(0);
    const deadline = Date.now() + 20000;
    while ((await p.json(['status', 'gone'])).state !== 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    process.kill(-p.manifest('gone').handle.pgid, 'SIGKILL');
    expect((await p.cli(['wait', 'gone', '--timeout', '20'])).exitCode).toBe(1);
    expect(await p.json(['status', 'gone'])).toMatchObject({ state: 'lost', exitCode: null, reason: expect.stringContaining('recorded no exit code') });
    const after = await p.cli(['launch', '--backend', 'process', '--after', 'gone', ...py('ok')]);
    expect(after.exitCode).toBe(3);
    expect(after.stderr).toContain('--after gone: that run already lost');
  });

  test('--seeds: one run per seed, each given --seed N and $SEED', async () => {
    const r = await p.json(['launch', '--backend', 'process', '--name', 'sw', '--seeds', '4,5', ...py('ok')]);
    expect(r.runs.map((x: any) => x.name)).toEqual(['sw-s4', 'sw-s5']);
    for (const seed of [4, 5]) {
      expect((await p.cli(['wait', `sw-s${seed}`, '--timeout', '30'])).exitCode).toBe(0);
      expect(p.log(`sw-s${seed}`)).toContain(`start seed=${seed} env_seed=${seed}`);
      expect(p.manifest(`sw-s${seed}`)).toMatchObject({ seed, seeds: [4, 5], env: { SEED: String(seed) } });
    }
  });

  test('--smoke: a failing smoke run shows its tail and launches nothing; a passing one launches', async () => {
    const bad = await p.cli(['launch', '--backend', 'process', '--name', 'smk', '--smoke', ...py('raise')]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('smoke test failed (exit 1); not launching');
    expect(bad.stderr).toContain('ValueError: boom in step 3');
    expect((await p.cli(['status', 'smk'])).exitCode).toBe(2);
    const good = await p.cli(['launch', '--backend', 'process', '--name', 'smk', '--smoke', ...py('ok')]);
    expect(good.exitCode).toBe(0);
    expect(good.stderr).toContain('smoke test passed');
    expect(p.manifest('smk').command).not.toContain('--smoke');
  });
});
