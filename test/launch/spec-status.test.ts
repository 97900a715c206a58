import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunState } from '../../src/launch/manifest.js';
import { statusAfterRuns, updateSpec } from '../../src/launch/spec-status.js';
import { tempDir } from '../support/temp.js';

describe('updateSpec on the file', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('expkit-spec-status-');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a symlinked spec stays a link; its target is replaced in place with its mode, other bytes kept', () => {
    mkdirSync(join(dir, 'wiki'));
    mkdirSync(join(dir, 'experiments'));
    const target = join(dir, 'wiki', 'demo.md');
    const before = Buffer.concat([Buffer.from('---\r\nseeds: [1, 2]\r\n# caf'), Buffer.from([0xe9]), Buffer.from('\r\nstatus: planned\r\n---\r\nbody\r\n')]);
    writeFileSync(target, before);
    chmodSync(target, 0o664);
    const link = join(dir, 'experiments', 'demo.md');
    symlinkSync('../wiki/demo.md', link);

    updateSpec(link, { status: 'running', run: 'demo-0101-1200' });

    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../wiki/demo.md');
    expect(statSync(target).mode & 0o7777).toBe(0o664);
    const expected = Buffer.concat([Buffer.from('---\r\nseeds: [1, 2]\r\n# caf'), Buffer.from([0xe9]), Buffer.from('\r\nstatus: running\r\nrun: demo-0101-1200\r\n---\r\nbody\r\n')]);
    expect(readFileSync(target).toString('hex')).toBe(expected.toString('hex'));
    // No temporary file is left beside either.
    expect(readdirSync(join(dir, 'wiki'))).toEqual(['demo.md']);
    expect(readdirSync(join(dir, 'experiments'))).toEqual(['demo.md']);
  });

  test('a spec that cannot be updated in place is left byte for byte', () => {
    const path = join(dir, 'flow.md');
    writeFileSync(path, '---\n{status: planned}\n---\n');
    expect(() => updateSpec(path, { status: 'running' })).toThrow(/flow mapping/);
    expect(readFileSync(path, 'utf8')).toBe('---\n{status: planned}\n---\n');
  });
});

describe('the spec status once a launch has ended', () => {
  test.each([
    [['stopped', 'running'], null],
    [['queued'], null],
    [[], null],
    [['stopped', 'succeeded'], 'stopped'],
    [['failed', 'stopped'], 'stopped'],
    [['succeeded', 'succeeded'], 'completed'],
    [['succeeded', 'failed'], 'failed'],
    [['lost'], 'failed'],
    [['not_started', 'succeeded'], 'failed'],
  ] as [RunState[], string | null][])('%j → %s', (states, expected) => {
    expect(statusAfterRuns(states)).toBe(expected);
  });
});
