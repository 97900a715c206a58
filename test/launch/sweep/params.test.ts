import { ExitCode } from '../../../src/core/errors.js';
import { parseAxes, parseGridAxis, parseRangeAxis, paramValue } from '../../../src/launch/sweep/params.js';

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err: any) {
    expect(err.exitCode).toBe(ExitCode.Usage);
    return err.message;
  }
  throw new Error('expected a usage error');
}

describe('sweep axes', () => {
  test('grid values: numbers stay numbers, words and zero-padded numbers stay text', () => {
    expect(parseGridAxis('lr=1e-3,3e-4')).toEqual({ key: 'lr', values: [0.001, 0.0003] });
    expect(parseGridAxis('opt=adam, sgd')).toEqual({ key: 'opt', values: ['adam', 'sgd'] });
    expect(paramValue('007')).toBe('007');
    expect(paramValue('-2')).toBe(-2);
  });

  test('ranges of each distribution', () => {
    expect(parseRangeAxis('lr=loguniform:1e-5:1e-2').distribution).toEqual({ kind: 'loguniform', low: 1e-5, high: 1e-2 });
    expect(parseRangeAxis('dropout=uniform:0:0.5').distribution).toEqual({ kind: 'uniform', low: 0, high: 0.5 });
    expect(parseRangeAxis('layers=choice:2,4,8').distribution).toEqual({ kind: 'choice', values: [2, 4, 8] });
  });

  test('malformed grids and ranges are usage errors that name the problem', () => {
    expect(usageError(() => parseGridAxis('lr='))).toBe('invalid --grid "lr=": no values after lr=');
    expect(usageError(() => parseGridAxis('lr=a,,b'))).toBe('invalid --grid "lr=a,,b": an empty value in the list');
    expect(usageError(() => parseGridAxis('lr=1,1'))).toContain('a value is repeated');
    expect(usageError(() => parseGridAxis('lr'))).toContain('use KEY=VALUES');
    expect(usageError(() => parseGridAxis('-x=1'))).toContain('must be a name');
    expect(usageError(() => parseRangeAxis('lr=normal:0:1'))).toContain('unknown distribution "normal"');
    expect(usageError(() => parseRangeAxis('lr=loguniform:0:1'))).toContain('loguniform bounds must be above 0');
    expect(usageError(() => parseRangeAxis('lr=loguniform:-1:1'))).toContain('loguniform bounds must be above 0');
    expect(usageError(() => parseRangeAxis('lr=uniform:1:1'))).toContain('low bound must be below');
    expect(usageError(() => parseRangeAxis('lr=uniform:a:1'))).toContain('bounds must be numbers');
    expect(usageError(() => parseRangeAxis('lr=uniform:1'))).toContain('takes two bounds');
    expect(usageError(() => parseRangeAxis('n=choice:'))).toContain('an empty value');
  });

  test('a key given twice, in --grid or across --grid and --range, is refused', () => {
    expect(usageError(() => parseAxes(['lr=1,2', 'lr=3'], []))).toContain('the sweep key lr is given twice');
    expect(usageError(() => parseAxes(['lr=1,2'], ['lr=uniform:0:1']))).toContain('lr is given twice');
  });
});
