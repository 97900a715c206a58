/** A bad place for expkit's state is the user's to fix: exit 2, one line, nothing created. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../support/cli.js';
import { describeWith } from '../support/components.js';
import { useProject } from '../support/runs.js';
import { counted } from '../support/attack-figures.js';

const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

describe('EXPKIT_HOME and .expkit that cannot hold runs', () => {
  const p = useProject();
  const launch = (env: Record<string, string>, cwd = p.dir) =>
    // A hang (the recursive mkdir loop under /proc/self) shows as a killed process, not a stuck suite.
    spawnSync(process.execPath, [BIN, 'launch', '--backend', 'process', '--', 'true'], { cwd, env: { ...process.env, ...p.env, ...env }, encoding: 'utf8', timeout: 20000 });

  test.each([
    ['/proc/self', 'is on a kernel file system'],
    ['/proc/self/fd', 'is on a kernel file system'],
    ['/dev/null', 'is not a folder'],
    ['FILE', 'is not a folder'],
    ['FILE/sub', 'is not a folder'],
  ])('EXPKIT_HOME=%s: exit 2, one line', counted('hostile EXPKIT_HOME', (home: string, message: string) => {
    const file = join(p.dir, 'a-file');
    writeFileSync(file, 'mine\n');
    const r = launch({ EXPKIT_HOME: home.replace('FILE', file) });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(message);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('hint:') && !l.startsWith('  ')).length).toBe(1);
    expect(existsSync(join(p.dir, '.expkit'))).toBe(false);
  }));

  test('.expkit being a file: exit 2, the file untouched', counted('hostile EXPKIT_HOME', () => {
    const dir = join(p.dir, 'proj-file');
    mkdirSync(join(dir, 'experiments'), { recursive: true });
    writeFileSync(join(dir, '.expkit'), 'not a folder\n');
    const r = launch({ EXPKIT_HOME: '' }, dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a folder');
    expect(readdirSync(dir).sort()).toEqual(['.expkit', 'experiments']);
  }));

  describeWith('root (to mount read-only file systems)', canMount)('read-only places', () => {
    test('a read-only EXPKIT_HOME parent and a read-only project root: exit 2, nothing created', counted('hostile EXPKIT_HOME', () => {
      const ro = join(p.dir, 'ro');
      mkdirSync(join(ro, 'experiments'), { recursive: true });
      expect(spawnSync('mount', ['--bind', ro, ro]).status).toBe(0);
      try {
        expect(spawnSync('mount', ['-o', 'remount,ro,bind', ro]).status).toBe(0);
        const inRo = launch({ EXPKIT_HOME: join(ro, 'state') });
        expect(inRo.status).toBe(2);
        expect(inRo.stderr).toContain('read-only file system');
        const root = launch({ EXPKIT_HOME: '' }, ro);
        expect(root.status).toBe(2);
        expect(root.stderr).toContain(`cannot create the state folder ${join(ro, '.expkit')} (read-only file system)`);
        expect(readdirSync(ro)).toEqual(['experiments']);
      } finally {
        spawnSync('umount', [ro]);
      }
    }));
  });
});
