import { ExpkitError } from '../../src/core/errors.js';
import { parseSpecText } from '../../src/spec/frontmatter.js';
import { updateSpecBytes } from '../../src/spec/update.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const update = (input: Buffer, updates: Record<string, unknown>) => updateSpecBytes(input, 'exp.md', updates);
const data = (out: Buffer) => parseSpecText(out.toString('utf8'), 'exp.md').data;

describe('updating the fields expkit owns in place', () => {
  test('CRLF, a BOM, a non-UTF-8 byte in a comment and flow sequences: only the owned fields change', () => {
    const before = bytes([0xef, 0xbb, 0xbf], '---\r\ntitle: Caf\u00e9 run\r\n# note: ', [0xe9, 0xff], '\r\nseeds: [1, 2]\r\nstatus: planned   # set by expkit\r\nz_last: {a: 1}\r\n---\r\nBody ', [0xe9], '\r\n');
    const out = update(before, { status: 'running', started: '2024-05-01T10:00:00.000Z', run: ['exp-s1', 'exp-s2'] });
    const expected = bytes([0xef, 0xbb, 0xbf], '---\r\ntitle: Caf\u00e9 run\r\n# note: ', [0xe9, 0xff], '\r\nseeds: [1, 2]\r\nstatus: running   # set by expkit\r\nz_last: {a: 1}\r\n',
      'started: 2024-05-01T10:00:00.000Z\r\nrun: [exp-s1, exp-s2]\r\n---\r\nBody ', [0xe9], '\r\n');
    expect(out.toString('hex')).toBe(expected.toString('hex'));
  });

  test('a second update replaces the values it added, and nothing else', () => {
    const first = update(bytes('---\nseeds: [1, 2]\n---\n'), { status: 'running', run: 'a-1' });
    const second = update(first, { status: 'completed', run: ['a-1', 'b-2'], outcome: 'succeeded' });
    expect(second.toString()).toBe('---\nseeds: [1, 2]\nstatus: completed\nrun: [a-1, b-2]\noutcome: succeeded\n---\n');
  });

  test('a block list value becomes one line beside its key; the next field and comments stay', () => {
    const before = bytes('---\nrun:\n- old-1\n- old-2\n# next comes the title\ntitle: x\n---\n');
    expect(update(before, { run: 'new-1' }).toString()).toBe('---\nrun: new-1\n# next comes the title\ntitle: x\n---\n');
  });

  test('a comment after the key of a block value stays, the value goes on its own line', () => {
    const before = bytes('---\nrun: # the runs\n  - old-1\n  - old-2\ntitle: x\n---\n');
    const out = update(before, { run: ['n-1', 'n-2'] });
    expect(out.toString()).toBe('---\nrun: # the runs\n  [n-1, n-2]\ntitle: x\n---\n');
    expect(data(out).run).toEqual(['n-1', 'n-2']);
  });

  test('an empty value and a block text value are replaced', () => {
    const before = bytes('---\nstatus:\nresult: |\n  line one\n  line two\n\ntitle: t\n---\n');
    const out = update(before, { status: 'failed', result: 'accuracy = 0.91 \u00b1 0.01 (n=3), +0.07' });
    expect(out.toString()).toBe('---\nstatus: failed\nresult: accuracy = 0.91 \u00b1 0.01 (n=3), +0.07\n\ntitle: t\n---\n');
  });

  test('values with line breaks (PyYAML counts U+2028 as one) are escaped on one line', () => {
    const out = update(bytes('---\ntitle: t\n---\n'), { result: 'a\nb\u2028c: #d' });
    expect(out.toString()).toBe('---\ntitle: t\nresult: "a\\nb\\u2028c: #d"\n---\n');
    expect(data(out).result).toBe('a\nb\u2028c: #d');
  });

  test('a file without frontmatter gets one at its top, after a BOM', () => {
    const out = update(bytes([0xef, 0xbb, 0xbf], '# Notes ', [0xe9], '\n'), { status: 'running' });
    expect(out.toString('hex')).toBe(bytes([0xef, 0xbb, 0xbf], '---\nstatus: running\n---\n# Notes ', [0xe9], '\n').toString('hex'));
  });

  test('an empty frontmatter gets the fields', () => {
    expect(update(bytes('---\n---\nbody\n'), { status: 'running' }).toString()).toBe('---\nstatus: running\n---\nbody\n');
  });

  test('a flow-mapping frontmatter is refused with one line (exit 2), not rewritten', () => {
    expect(() => update(bytes('---\n{title: t, status: planned}\n---\n'), { status: 'running' })).toThrow(ExpkitError);
    expect(() => update(bytes('---\n{title: t}\n---\n'), { status: 'running' })).toThrow(/flow mapping/);
  });
});
