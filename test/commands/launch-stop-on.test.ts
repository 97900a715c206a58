import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from '../support/components.js';
import { liveInGroup, useProject } from '../support/runs.js';

/** Prints two finite losses, then a NaN one as torch prints it, then would train for a minute. */
const DIVERGES_PY = `import time
print("epoch 1 loss 0.9", flush=True)
print("epoch 2 loss 0.7", flush=True)
time.sleep(0.3)
print("epoch 3 loss: tensor(nan, grad_fn=<NllLossBackward0>)", flush=True)
time.sleep(60)
print("never printed", flush=True)
`;

describe('launch --stop-on nan (process backend, real run)', () => {
  const p = useProject();

  test('the wrapper stops the run at the first non-finite loss and records why; no polling', async () => {
    writeFileSync(join(p.dir, 'diverges.py'), DIVERGES_PY);
    const launched = await p.cli(['launch', '--backend', 'process', '--name', 'div', '--stop-on', 'nan', '--', SYSTEM_PYTHON, 'diverges.py']);
    expect(launched.exitCode).toBe(0);
    expect(p.manifest('div').stopOn).toBe('nan');
    // `wait` only waits for the end; the run ends by itself well before the script's 60 s sleep.
    const waited = await p.cli(['wait', 'div', '--timeout', '40']);
    expect(p.log('div')).not.toContain('never printed');
    const s = await p.json(['status', 'div']);
    expect(s.state).toBe('stopped');
    expect(s.reason).toBe('stopped by --stop-on at a non-finite loss: epoch 3 loss: tensor(nan, grad_fn=<NllLossBackward0>)');
    expect(waited.exitCode).not.toBe(0);
    expect(p.manifest('div')).toMatchObject({ state: 'stopped', stopReason: s.reason });
    // Nothing of the run (watcher included) is left in its process group.
    const pgid = Number(readFileSync(join(p.runDir('div'), 'pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(liveInGroup(pgid)).toEqual([]);
  });

  test('a run with finite losses is not stopped, and the watcher ends with it', async () => {
    const launched = await p.cli(['launch', '--backend', 'process', '--name', 'fine', '--stop-on', 'nan', '--', SYSTEM_PYTHON, 'job.py']);
    expect(launched.exitCode).toBe(0);
    expect((await p.cli(['wait', 'fine', '--timeout', '40'])).exitCode).toBe(0);
    expect(existsSync(join(p.runDir('fine'), 'stopped_on'))).toBe(false);
    const pgid = Number(readFileSync(join(p.runDir('fine'), 'pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(liveInGroup(pgid)).toEqual([]);
  });

  test('an unknown --stop-on value is one line, exit 2, and starts nothing', async () => {
    const r = await p.cli(['launch', '--backend', 'process', '--name', 'bad', '--stop-on', 'loss', '--', 'true']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/invalid --stop-on "loss": use nan/);
    expect(existsSync(p.runDir('bad'))).toBe(false);
  });
});
