import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from '../support/components.js';
import { useProject } from '../support/runs.js';

/** Runs until the test creates the file named by its first argument, then exits with the second. */
const HOLD = `import os, sys, time
print("epoch 1/2 loss: 0.5", flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.02)
sys.exit(int(sys.argv[2]))
`;

describe('expkit wait RUN… --any|--all', () => {
  const p = useProject();
  const launch = async (name: string, exit: number) => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', name, '--', SYSTEM_PYTHON, 'hold.py', `go-${name}`, String(exit)])).exitCode).toBe(0);
  };

  test('two runs of different lengths: --any returns the first to end, --all waits for both', async () => {
    writeFileSync(join(p.dir, 'hold.py'), HOLD);
    await launch('short', 0);
    await launch('long', 3);

    // Neither has ended: the timeout comes first, exit 124, both pending.
    const none = await p.cli(['wait', 'short', 'long', '--any', '--timeout', '0.3', '--json']);
    expect(none.exitCode).toBe(124);
    expect(JSON.parse(none.stdout)).toEqual({ schemaVersion: 1, ended: [], pending: [{ name: 'short', state: 'running' }, { name: 'long', state: 'running' }], timedOut: true });

    writeFileSync(join(p.dir, 'go-short'), '');
    const any = await p.cli(['wait', 'long', 'short', '--any', '--timeout', '60', '--json']);
    expect(any.exitCode).toBe(0);
    expect(JSON.parse(any.stdout)).toEqual({ schemaVersion: 1, ended: [{ name: 'short', state: 'succeeded', exitCode: 0, reason: null }], pending: [{ name: 'long', state: 'running' }], timedOut: false });

    // --all is still waiting on the long one.
    const notYet = await p.cli(['wait', 'short', 'long', '--all', '--timeout', '0.3']);
    expect(notYet.exitCode).toBe(124);
    expect(notYet.stdout).toBe('short: succeeded (exit 0)\nafter waiting 0.3s, not ended: long (running)\n');

    writeFileSync(join(p.dir, 'go-long'), '');
    const all = await p.cli(['wait', 'long', 'short', '--all', '--timeout', '60', '--json']);
    // The long run failed (exit 3): not every run succeeded.
    expect(all.exitCode).toBe(1);
    const r = JSON.parse(all.stdout);
    expect(r).toMatchObject({ schemaVersion: 1, pending: [], timedOut: false });
    // Both had ended before this wait: the one that ended first comes first.
    expect(r.ended.map((e: any) => [e.name, e.state, e.exitCode])).toEqual([['short', 'succeeded', 0], ['long', 'failed', 3]]);
    // Without --any/--all, several runs means all of them; the human form is one line per run.
    const plain = await p.cli(['wait', 'short', 'long']);
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toBe('short: succeeded (exit 0)\nlong: failed (exit 3): exit code 3\n');
  });

  test('one run without --any/--all keeps its status object', async () => {
    const one = JSON.parse((await p.cli(['wait', 'short', '--json'])).stdout);
    expect(one).toMatchObject({ name: 'short', state: 'succeeded', exitCode: 0, timedOut: false });
    expect(JSON.parse((await p.cli(['wait', 'short', '--all', '--json'])).stdout)).toEqual({ schemaVersion: 1, ended: [{ name: 'short', state: 'succeeded', exitCode: 0, reason: null }], pending: [], timedOut: false });
  });

  test('--any with --all, or an unknown run among them: exit 2 before waiting', async () => {
    const both = await p.cli(['wait', 'short', 'long', '--any', '--all', '--json']);
    expect(both.exitCode).toBe(2);
    expect(JSON.parse(both.stdout).error.message).toBe('--any and --all cannot be combined');
    const unknown = await p.cli(['wait', 'short', 'nope', '--any']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^expkit: no run named nope/);
  });
});
