/** Library definitions: names taken from the `def` line, and the instrument form of several. */
import { instrumentLines, pyFunction, pyStatements } from '../../src/python-library/definition.js';
import { RUN_IDENTITY } from '../../src/python-library/run-identity.js';

describe('pyFunction', () => {
  test('takes the instrument name from the def line', () => {
    const d = pyFunction('f', ['def _expkit_f(x):', '    return x']);
    expect(d.names).toEqual({ _expkit_f: 'f' });
  });

  test('refuses text that is not a function definition', () => {
    expect(() => pyFunction('f', ['x = 1'])).toThrow(/def NAME\(/);
  });
});

describe('instrumentLines', () => {
  test('joins definitions with two blank lines, as black separates top-level definitions', () => {
    const a = pyStatements({ _EXPKIT_A: 'A' }, ['_EXPKIT_A = 1']);
    const b = pyFunction('b', ['def _expkit_b():', '    return _EXPKIT_A']);
    expect(instrumentLines(a, b)).toEqual(['_EXPKIT_A = 1', '', '', 'def _expkit_b():', '    return _EXPKIT_A']);
    expect(instrumentLines(b)).toEqual(['def _expkit_b():', '    return _EXPKIT_A']);
  });

  test('every library line uses 4-space levels (the edit builder converts them) and no tabs', () => {
    for (const line of instrumentLines(...RUN_IDENTITY)) {
      expect(line).not.toMatch(/\t/);
      expect(line.match(/^ */)![0].length % 4).toBe(0);
    }
  });
});
