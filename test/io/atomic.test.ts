import { readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { tempDir } from '../support/temp.js';

describe('writeFileAtomic', () => {
  test('replaces content, keeps the mode and leaves no temporary file', () => {
    const dir = tempDir('expkit-atomic-');
    const file = join(dir, 'run.sh');
    writeFileSync(file, 'old');
    chmodSync(file, 0o755);
    writeFileAtomic(file, 'new\r\n');
    expect(readFileSync(file, 'utf8')).toBe('new\r\n');
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir)).toEqual(['run.sh']);
  });

  test('creates parents on request', () => {
    const dir = tempDir('expkit-atomic-');
    const file = join(dir, 'a', 'b', 'c.json');
    writeFileAtomic(file, '{}', { mkdirs: true });
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });
});
