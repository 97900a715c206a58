/** One damaged manifest.json spoils only its own run, and is never rewritten. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useProject } from '../support/runs.js';
import { counted } from '../support/attack-figures.js';

const DAMAGED: Record<string, string | Buffer> = {
  'bad-object': '{}',
  'bad-null': 'null',
  'bad-list': '[]',
  'bad-truncated': '{"schemaVersion": 1, "name": "bad-trunc',
  'bad-binary': Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x80, 0x0a]),
};

describe('malformed manifest.json', () => {
  const p = useProject();

  beforeAll(async () => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'good', '--', 'true'])).exitCode).toBe(0);
    expect((await p.cli(['wait', 'good', '--timeout', '30'])).exitCode).toBe(0);
    for (const [name, content] of Object.entries(DAMAGED)) {
      mkdirSync(p.runDir(name));
      writeFileSync(join(p.runDir(name), 'manifest.json'), content);
      // A run whose wrapper finished: status would finalize a readable record.
      writeFileSync(join(p.runDir(name), 'exit_code'), '0\n');
    }
  });

  const unchanged = () => {
    for (const [name, content] of Object.entries(DAMAGED)) expect(readFileSync(join(p.runDir(name), 'manifest.json'))).toEqual(Buffer.from(content));
  };

  test('list and status keep working; each damaged run shows as corrupt with its reason', counted('malformed manifest.json', async () => {
    for (const cmd of ['list', 'status']) {
      const r = await p.cli([cmd, '--json']);
      expect(r.exitCode).toBe(0);
      const runs = JSON.parse(r.stdout).runs;
      expect(runs.find((x: any) => x.name === 'good')).toMatchObject({ state: 'succeeded', exitCode: 0 });
      for (const name of Object.keys(DAMAGED)) expect(runs.find((x: any) => x.name === name)).toMatchObject({ state: 'corrupt', reason: expect.stringContaining('manifest.json') });
      const table = await p.cli([cmd]);
      expect(table.exitCode).toBe(0);
      expect(table.stdout).toMatch(/^bad-null +- +corrupt/m);
    }
    expect(await p.json(['status', 'bad-object'])).toMatchObject({ name: 'bad-object', state: 'corrupt', reason: 'manifest.json: schemaVersion is not 1' });
    expect((await p.json(['status', 'bad-list'])).reason).toBe('manifest.json holds a list, not a run record');
    unchanged();
  }));

  test('stop, wait and logs refuse a corrupt run with its reason (exit 1), and touch nothing', counted('malformed manifest.json', async () => {
    for (const cmd of [['stop', 'bad-null'], ['wait', 'bad-null'], ['logs', 'bad-truncated']]) {
      const r = await p.cli(cmd);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`run ${cmd[1]} cannot be used: manifest.json`);
    }
    unchanged();
  }));
});
