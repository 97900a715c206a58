/** The one parser for numbers on the command line: plain decimal text within range, else one usage line. */
import { ExitCode, ExpkitError } from '../../src/core/errors.js';
import { parseSeconds, parseWholeNumber } from '../../src/core/numbers.js';

function refusal(parse: () => unknown): ExpkitError {
  try {
    parse();
  } catch (err) {
    if (err instanceof ExpkitError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('parseWholeNumber', () => {
  test.each([
    ['0', 0],
    ['7', 7],
    ['007', 7],
    ['1000', 1000],
  ])('%j is %d', (text, n) => {
    expect(parseWholeNumber('--every', text, { min: 0, max: 1000 })).toBe(n);
  });

  // Number() would take most of these: "", " 1", "0x10", "1e3", "1.0"; the last one rounds.
  test.each(['', ' 1', '1 ', '-1', '+1', '1.5', '1.0', '1e3', '0x10', 'abc', 'Infinity', 'NaN', '1001', '99999999999999999999'])(
    '%j is refused with one line naming the flag, the range and the text (exit 2)',
    (text) => {
      const err = refusal(() => parseWholeNumber('--every', text, { min: 0, max: 1000 }));
      expect(err.exitCode).toBe(ExitCode.Usage);
      expect(err.message).toBe(`--every takes a whole number from 0 to 1000, not ${JSON.stringify(text)}`);
    },
  );

  test('the minimum is enforced', () => {
    expect(refusal(() => parseWholeNumber('--every', '0', { min: 1, max: 5 })).message).toMatch(/from 1 to 5, not "0"/);
  });
});

describe('parseSeconds', () => {
  test.each([
    ['0', 0],
    ['30', 30],
    ['1.5', 1.5],
    ['90s', 90],
    ['5m', 300],
    ['2h', 7200],
  ])('%j is %d s', (text, s) => {
    expect(parseSeconds('--timeout', text, { min: 0, max: 86_400 })).toBe(s);
  });

  test.each(['', 'abc', '-1', '1e3', '.5', '5.', '5 m', '5ms', '1d', '25h', 'Infinity', '86401'])('%j is refused (exit 2)', (text) => {
    const err = refusal(() => parseSeconds('--timeout', text, { min: 0, max: 86_400 }));
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.message).toBe(`--timeout takes seconds from 0 to 86400 (like 30, 1.5, 90s, 5m, 2h), not ${JSON.stringify(text)}`);
  });
});
