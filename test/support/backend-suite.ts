/** The same real-run checks for every backend: success, exit 3, NaN loss, an exception, stop. */
import { readFileSync } from 'node:fs';
import { SYSTEM_PYTHON } from './components.js';
import { liveInGroup, OK_LOG, py, useProject } from './runs.js';

export function backendSuite(backend: string, extraEnv: () => Record<string, string> = () => ({}), checkHandle: (handle: any) => void = () => {}): void {
  const p = useProject(extraEnv);
  const modes = ['ok', 'fail', 'nan', 'raise'];

  beforeAll(async () => {
    const launched = await Promise.all(modes.map((m) => p.cli(['launch', '--backend', backend, '--name', `${m}-run`, ...py(m)])));
    launched.forEach((r) => expect({ exit: r.exitCode, err: r.stderr }).toEqual({ exit: 0, err: expect.any(String) }));
  });

  test('a script that exits 0: succeeded, the complete log in order, the manifest', async () => {
    const w = await p.cli(['wait', 'ok-run', '--timeout', '90']);
    expect(w.exitCode).toBe(0);
    const s = await p.json(['status', 'ok-run']);
    expect(s).toMatchObject({ name: 'ok-run', backend, state: 'succeeded', exitCode: 0, anomalies: [], progress: 'epoch 3/3 loss: 0.3333' });
    expect(Date.parse(s.endedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
    expect(s.logPath).toBe(`${p.runDir('ok-run')}/output.log`);
    expect(p.log('ok-run')).toBe(OK_LOG);
    const m = p.manifest('ok-run');
    expect(m).toMatchObject({ name: 'ok-run', backend, command: [SYSTEM_PYTHON, 'job.py', '--mode', 'ok'], cwd: p.dir, seed: null });
    expect(m.python.path).toBe(SYSTEM_PYTHON);
    expect(m.python.version).toMatch(/^3\.\d+\.\d+/);
    expect(m.host).toEqual(expect.any(String));
    expect(m.git).toMatchObject({ commit: null, dirty: false });
    expect(m.env.PYTHONUNBUFFERED).toBe('1');
    // Once ended, the manifest carries the outcome itself.
    expect(m).toMatchObject({ state: 'succeeded', exitCode: 0, startedAt: s.startedAt, endedAt: s.endedAt });
    checkHandle(m.handle);
  });

  test('a script that exits 3: failed with exit code 3, wait exits 1', async () => {
    const w = await p.cli(['wait', 'fail-run', '--timeout', '90']);
    expect(w.exitCode).toBe(1);
    expect(w.stdout).toContain('failed (exit 3)');
    expect(await p.json(['status', 'fail-run'])).toMatchObject({ state: 'failed', exitCode: 3 });
  });

  test('a script that prints loss: nan: the anomaly with its line and a suggestion', async () => {
    await p.cli(['wait', 'nan-run', '--timeout', '90']);
    const s = await p.json(['status', 'nan-run']);
    expect(s.state).toBe('succeeded');
    expect(s.anomalies).toEqual([{ kind: 'nan-loss', line: 6, text: 'epoch 3/3 loss: nan', suggestion: expect.stringContaining('learning rate') }]);
  });

  test('a script that raises: failed, with the exception line as a traceback anomaly', async () => {
    expect((await p.cli(['wait', 'raise-run', '--timeout', '90'])).exitCode).toBe(1);
    const s = await p.json(['status', 'raise-run']);
    expect(s).toMatchObject({ state: 'failed', exitCode: 1 });
    expect(s.anomalies).toEqual([expect.objectContaining({ kind: 'traceback', line: 8, text: 'ValueError: boom in step 3' })]);
    const human = await p.cli(['status', 'raise-run']);
    expect(human.stdout).toMatch(/problem: +traceback at log line 8: ValueError: boom in step 3/);
  });

  test('stop: the running script is stopped, its process group gone', async () => {
    expect((await p.cli(['launch', '--backend', backend, '--name', 'sleep-run', ...py('sleep')])).exitCode).toBe(0);
    const deadline = Date.now() + 60000;
    while (!(await p.json(['status', 'sleep-run'])).progress?.startsWith('epoch 3') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const pid = Number(readFileSync(`${p.runDir('sleep-run')}/pid`, 'utf8'));
    const stop = await p.cli(['stop', 'sleep-run']);
    expect(stop.exitCode).toBe(0);
    const s = await p.json(['status', 'sleep-run']);
    expect(s.state).toBe('stopped');
    expect(p.log('sleep-run')).toContain('epoch 3/3');
    expect(p.log('sleep-run')).not.toContain('done');
    expect((await p.cli(['wait', 'sleep-run'])).exitCode).toBe(1);
    // Nothing of the run's process group is left (zombies awaiting their parent aside).
    const alive = liveInGroup(pid);
    expect(alive).toEqual([]);
  });
}
