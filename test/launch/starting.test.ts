/** A run whose launch died before the backend started it: abandoned, and a late wrapper runs nothing. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityOf } from '../../src/backends/proc.js';
import { ABANDONED_REASON, startingState } from '../../src/launch/starting.js';
import { wrapperScript } from '../../src/launch/wrapper.js';
import type { Manifest } from '../../src/launch/manifest.js';

describe('a run left starting', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'expkit-starting-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const manifest = (launcher: Manifest['launcher']) => ({ state: 'starting', launcher, runId: 'rid' }) as unknown as Manifest;
  const wrapper = () => {
    const path = join(dir, 'wrapper.sh');
    writeFileSync(path, wrapperScript({ runName: 'r', runDir: dir, cwd: dir, argv: ['touch', join(dir, 'ran')], env: {}, tee: false, runId: 'rid', envFromFile: true }));
    writeFileSync(join(dir, 'launch.env'), 'export SECRET_TOKEN=x\n', { mode: 0o600 });
    return path;
  };

  test('while its launcher runs: starting, nothing written', () => {
    expect(startingState(dir, manifest(identityOf(process.pid)!))).toEqual({ state: 'starting', reason: 'expkit launch is starting it' });
    expect(existsSync(join(dir, 'abandoned'))).toBe(false);
  });

  test('its launcher gone: abandoned (not_started, the environment file removed); a wrapper that starts afterwards runs nothing', () => {
    const path = wrapper();
    const dead = spawnSync('true').pid!;
    expect(startingState(dir, manifest({ pid: dead, startTime: '1', bootId: null }))).toBeNull();
    expect(readFileSync(join(dir, 'not_started'), 'utf8').trim()).toBe(ABANDONED_REASON);
    expect(existsSync(join(dir, 'launch.env'))).toBe(false);
    const r = spawnSync('bash', [path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(readFileSync(join(dir, 'not_started'), 'utf8').trim()).toBe(ABANDONED_REASON);
    expect(readFileSync(join(dir, 'exit_code'), 'utf8').trim()).toBe('1');
  });

  test('a stop before the wrapper starts: the command never runs, the run ends stopped (143)', () => {
    const path = wrapper();
    writeFileSync(join(dir, 'stop_requested'), 'now\n');
    expect(spawnSync('bash', [path]).status).toBe(143);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(existsSync(join(dir, 'launch.env'))).toBe(false);
  });

  test('a normal start: the command runs with the marker and the sourced environment; the file is gone', () => {
    const path = wrapper();
    writeFileSync(path, readFileSync(path, 'utf8').replace(`touch ${join(dir, 'ran')}`, `sh -c 'echo "$EXPKIT_RUN_ID $SECRET_TOKEN" > ${join(dir, 'ran')}'`));
    expect(spawnSync('bash', [path]).status).toBe(0);
    expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('rid x\n');
    expect(existsSync(join(dir, 'launch.env'))).toBe(false);
    expect(readFileSync(join(dir, 'pid_start'), 'utf8')).toMatch(/^\d+ \S+\n$/);
  });
});
