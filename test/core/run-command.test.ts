/** How a failure is reported: one line (and a hint) on stderr; under --json also one object on stdout. */
import { jest } from '@jest/globals';
import { ExitCode, ExpkitError } from '../../src/core/errors.js';
import { describeError, reportError } from '../../src/core/run-command.js';

function captured(run: () => number): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: run(), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('describeError', () => {
  test('an ExpkitError as it says; no hint is null', () => {
    const withHint = new ExpkitError('no run named x', { exitCode: ExitCode.Usage, hint: 'expkit list shows the runs' });
    expect(describeError(withHint)).toEqual({ message: 'no run named x', exitCode: 2, hint: 'expkit list shows the runs' });
    expect(describeError(new ExpkitError('refused', { exitCode: ExitCode.Refused }))).toEqual({ message: 'refused', exitCode: 3, hint: null });
  });

  test('anything else is an internal error (70), first line only', () => {
    expect(describeError(new TypeError('x is undefined\n    at somewhere'))).toEqual({
      message: 'internal error: x is undefined',
      exitCode: 70,
      hint: 'set EXPKIT_DEBUG=1 for the stack trace',
    });
    expect(describeError('a string')).toMatchObject({ message: 'internal error: a string', exitCode: 70 });
  });
});

describe('reportError', () => {
  test('without --json: stderr only', () => {
    const r = captured(() => reportError(new ExpkitError('bad', { exitCode: 2, hint: 'do this' })));
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'expkit: bad\nhint: do this\n' });
  });

  test('with --json: the same on stderr, and {schemaVersion, error} on stdout', () => {
    const r = captured(() => reportError(new Error('boom'), { json: true }));
    expect(r.code).toBe(70);
    expect(r.stderr).toBe('expkit: internal error: boom\nhint: set EXPKIT_DEBUG=1 for the stack trace\n');
    expect(JSON.parse(r.stdout)).toEqual({
      schemaVersion: 1,
      error: { message: 'internal error: boom', exitCode: 70, hint: 'set EXPKIT_DEBUG=1 for the stack trace' },
    });
  });
});
