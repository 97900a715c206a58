import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStopOn } from '../../src/launch/stop-on.js';
import { wrapperScript } from '../../src/launch/wrapper.js';
import { tempDir } from '../support/temp.js';

describe('the --stop-on watcher in the wrapper (run with bash)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('expkit-stop-on-');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (script: string) => {
    const path = join(dir, 'wrapper.sh');
    writeFileSync(path, wrapperScript({ runName: 'r', runDir: dir, cwd: dir, argv: ['bash', '-c', script], env: {}, tee: false, stopOn: 'nan' }));
    // setsid: the wrapper leads its own group, as every backend starts it.
    return spawnSync('setsid', ['bash', path], { encoding: 'utf8', timeout: 30000 });
  };

  test("an earlier attempt's NaN in the appended log does not stop this attempt", () => {
    writeFileSync(join(dir, 'output.log'), 'epoch 1 loss nan\n');
    const r = run('sleep 1; echo "epoch 1 loss 0.5"; echo done');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'stopped_on'))).toBe(false);
    expect(readFileSync(join(dir, 'exit_code'), 'utf8').trim()).toBe('0');
  });

  test('a NaN from this attempt stops it (SIGTERM to the group) and names the line', () => {
    const r = run('echo "{\'loss\': nan, \'epoch\': 0.5}"; sleep 30; echo late');
    expect(r.status).toBe(143);
    expect(readFileSync(join(dir, 'stopped_on'), 'utf8').trim()).toBe("{'loss': nan, 'epoch': 0.5}");
    expect(readFileSync(join(dir, 'stop_requested'), 'utf8')).toMatch(/--stop-on nan/);
    expect(readFileSync(join(dir, 'output.log'), 'utf8')).not.toContain('late');
  });

  test('choices', () => {
    expect(parseStopOn(undefined)).toBeNull();
    expect(parseStopOn('nan')).toBe('nan');
    expect(() => parseStopOn('inf')).toThrow(/use nan/);
  });
});
