import { insertedRanges, spliceEdits, withBom } from '../../src/instrument/splice.js';
import type { TextEdit } from '../../src/instrument/types.js';
import { sourceFrom } from './engine-support.js';

const edit = (start: number, end: number, text: string, line = 1): TextEdit => ({ start, end, text, kind: 'seed', line, reason: 'r' });

describe('spliceEdits', () => {
  const src = sourceFrom('abcdef');

  test('applies edits in offset order whatever order they come in', () => {
    expect(spliceEdits(src, [edit(4, 5, 'E'), edit(0, 0, '>'), edit(1, 3, 'BC')])).toBe('>aBCdEf');
  });

  test('insertions at the same point keep the plan order; an insertion at a replacement start goes first', () => {
    expect(spliceEdits(src, [edit(2, 2, '1'), edit(2, 2, '2')])).toBe('ab12cdef');
    expect(spliceEdits(src, [edit(2, 4, 'X'), edit(2, 2, 'i')])).toBe('abiXef');
  });

  test('no edits: the text unchanged', () => {
    expect(spliceEdits(src, [])).toBe('abcdef');
  });

  test('overlapping or out-of-range edits are internal errors', () => {
    expect(() => spliceEdits(src, [edit(1, 3, 'x'), edit(2, 4, 'y', 7)])).toThrow(/overlapping edits at line 7/);
    expect(() => spliceEdits(src, [edit(1, 3, 'x'), edit(2, 2, 'y')])).toThrow(/overlapping/);
    expect(() => spliceEdits(src, [edit(4, 9, 'x')])).toThrow(/out of range/);
    expect(() => spliceEdits(src, [edit(3, 2, 'x')])).toThrow(/out of range/);
    expect(() => spliceEdits(src, [edit(0.5, 2, 'x')])).toThrow(/out of range/);
  });

  test('everything outside the edits stays identical, including surrogate pairs and CRLF', () => {
    const s = sourceFrom('a = "😀"\r\nb = 1\r\n');
    const out = spliceEdits(s, [edit(s.lineStarts[1]!, s.lineStarts[1]!, 'x = 2  # expkit\r\n')]);
    expect(out).toBe('a = "😀"\r\nx = 2  # expkit\r\nb = 1\r\n');
  });

  test('inserted ranges follow the shifts of earlier edits', () => {
    const edits = [edit(4, 5, 'EEE'), edit(1, 1, '++')];
    expect(insertedRanges(edits).map((r) => [r.start, r.end])).toEqual([[1, 3], [6, 9]]);
  });

  test('withBom puts the BOM back only when the file had one', () => {
    expect(withBom({ hasBom: true }, 'x')).toBe('\uFEFFx');
    expect(withBom({ hasBom: false }, 'x')).toBe('x');
  });
});
