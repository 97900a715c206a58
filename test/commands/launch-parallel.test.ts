import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useProject } from '../support/runs.js';

describe('the run registry under concurrent launches', () => {
  const p = useProject();

  test('twenty launches at once: twenty distinct, complete, finished runs', async () => {
    const cmd = ['launch', '--backend', 'process', '--json', '--', '/bin/echo', 'hello'];
    const results = await Promise.all(Array.from({ length: 20 }, () => p.cli(cmd)));
    results.forEach((r) => expect(r.exitCode).toBe(0));
    const names = results.map((r) => JSON.parse(r.stdout).runs[0].name as string);
    expect(new Set(names).size).toBe(20);
    const folders = readdirSync(join(p.dir, '.expkit', 'runs'));
    expect(folders.sort()).toEqual([...names].sort());
    for (const n of names) expect((await p.cli(['wait', n, '--timeout', '30'])).exitCode).toBe(0);
    const list = await p.json(['list']);
    expect(list.runs).toHaveLength(20);
    for (const r of list.runs) expect(r.state).toBe('succeeded');
    for (const n of names) {
      // Complete: its own marker, the backend's handle, and the outcome the wrapper recorded.
      expect(p.manifest(n)).toMatchObject({ name: n, runId: expect.stringMatching(/^[0-9a-f]{24}$/), handle: { pid: expect.any(Number) }, state: 'succeeded', exitCode: 0 });
      expect(p.log(n)).toBe('hello\n');
      // No temporary files left behind by atomic writes.
      expect(readdirSync(p.runDir(n)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
    expect(new Set(names.map((n) => p.manifest(n).runId)).size).toBe(20);
    // No claim folder left behind.
    expect(readdirSync(join(p.dir, '.expkit', 'runs')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('twenty launches of one --name at once: exactly one wins, the others are refused (exit 3)', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => p.cli(['launch', '--backend', 'process', '--name', 'same', '--', 'true'])));
    expect(results.filter((r) => r.exitCode === 0)).toHaveLength(1);
    expect(results.filter((r) => r.exitCode === 3 && r.stderr.includes('a run named same already exists'))).toHaveLength(19);
    expect((await p.cli(['wait', 'same', '--timeout', '30'])).exitCode).toBe(0);
    expect(p.log('same')).toBe('');
  });
});
