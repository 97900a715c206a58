import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSourceFile } from '../../src/io/read-source.js';
import { tempDir } from '../support/temp.js';

describe('readSourceFile', () => {
  const dir = tempDir('expkit-read-');

  test('keeps bytes, BOM, CRLF and the missing final newline as facts', () => {
    const path = join(dir, 'a.py');
    const bytes = Buffer.from('\uFEFFimport torch\r\nx = "é"', 'utf8');
    writeFileSync(path, bytes);
    const f = readSourceFile(path);
    expect(f.bytes.equals(bytes)).toBe(true);
    expect(f.hasBom).toBe(true);
    expect(f.text.startsWith('import torch')).toBe(true);
    expect(f.eol).toBe('\r\n');
    expect(f.hasFinalNewline).toBe(false);
  });

  test('a directory is refused with a clear message', () => {
    expect(() => readSourceFile(dir)).toThrow(`${dir} is a directory, not a Python file`);
  });
});
