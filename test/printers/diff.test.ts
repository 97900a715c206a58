import { formatDiff, useColor } from '../../src/printers/diff.js';

const DIFF = '--- a/t.py\n+++ b/t.py\n@@ -1,2 +1,3 @@\r\n x = 1\r\n+y = 2  # expkit\r\n-z = 3\n\\ No newline at end of file\n';

describe('formatDiff', () => {
  test('uncolored output is the diff itself', () => {
    expect(formatDiff(DIFF, false)).toBe(DIFF);
  });

  test('colors by line role and keeps CR outside the escapes; stripping the escapes gives the diff back', () => {
    const c = formatDiff(DIFF, true);
    expect(c).toContain('\x1b[32m+y = 2  # expkit\x1b[0m\r\n');
    expect(c).toContain('\x1b[31m-z = 3\x1b[0m\n');
    expect(c).toContain('\x1b[1m--- a/t.py\x1b[0m\n');
    expect(c).toContain('\x1b[36m@@ -1,2 +1,3 @@\x1b[0m\r\n');
    expect(c).toContain('\n x = 1\r\n');
    expect(c.replace(/\x1b\[\d+m/g, '')).toBe(DIFF);
  });

  test('useColor: a terminal without NO_COLOR', () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(true, { NO_COLOR: '' })).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(undefined, {})).toBe(false);
  });
});
