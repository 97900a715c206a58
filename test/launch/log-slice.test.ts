import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeUtf8Length, readLogSince } from '../../src/launch/log-slice.js';
import { tempDir } from '../support/temp.js';

describe('completeUtf8Length: a slice never ends inside a character', () => {
  const euro = Buffer.from('€'); // e2 82 ac
  const emoji = Buffer.from('😀'); // f0 9f 98 80
  test.each([
    ['ascii', Buffer.from('abc'), 3],
    ['empty', Buffer.alloc(0), 0],
    ['a whole 3-byte character', Buffer.concat([Buffer.from('a'), euro]), 4],
    ['1 of 3 bytes', Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]), 1],
    ['2 of 3 bytes', Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]), 1],
    ['3 of 4 bytes', Buffer.concat([Buffer.from('ab'), emoji.subarray(0, 3)]), 2],
    ['a whole 4-byte character', emoji, 4],
    ['2 of 2 bytes', Buffer.from('é'), 2],
    ['1 of 2 bytes', Buffer.from('é').subarray(0, 1), 0],
    // Bytes that can never become a character are kept (and decode as U+FFFD), not held for ever.
    ['a stray continuation byte', Buffer.from([0x61, 0x80]), 2],
    ['an invalid lead byte', Buffer.from([0x61, 0xff]), 2],
  ])('%s', (_name, bytes, expected) => {
    expect(completeUtf8Length(bytes)).toBe(expected);
  });
});

describe('readLogSince', () => {
  const dir = tempDir('expkit-slice-');
  const path = join(dir, 'output.log');
  test('holds back a partial character unless the run has ended; a missing log is empty; past the end is exit 2', () => {
    writeFileSync(path, Buffer.concat([Buffer.from('loss 1\n€'), Buffer.from('€').subarray(0, 2)]));
    expect(readLogSince(path, 0, false)).toEqual({ text: 'loss 1\n€', nextOffset: 10, size: 12 });
    expect(readLogSince(path, 10, false)).toEqual({ text: '', nextOffset: 10, size: 12 });
    expect(readLogSince(path, 10, true)).toEqual({ text: '\uFFFD', nextOffset: 12, size: 12 });
    expect(readLogSince(join(dir, 'none.log'), 0, false)).toEqual({ text: '', nextOffset: 0, size: 0 });
    expect(() => readLogSince(path, 13, false)).toThrow(expect.objectContaining({ exitCode: 2, message: '--since 13 is past the end of the log (12 bytes)' }));
  });
});
