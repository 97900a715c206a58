import { commandWithParams, flagsFor, pythonScript } from '../../../src/launch/sweep/flags.js';

const arg = (flags: string[], dest: string) => ({ flags, dest, default: null, type: null, line: 1 });

describe('sweep parameters as script flags', () => {
  test('the script of a python command', () => {
    expect(pythonScript(['python', 'train.py', '--x'])).toBe('train.py');
    expect(pythonScript(['/usr/bin/python3', '-u', 'src/t.py'])).toBe('src/t.py');
    expect(pythonScript(['python', '-m', 'pkg.train'])).toBeNull();
    expect(pythonScript(['bash', 'run.sh'])).toBeNull();
  });

  test("a key maps to the script's flag with that dest, long preferred; else --KEY", () => {
    const args = [arg(['-b', '--batch-size'], 'batch_size'), arg(['--learning-rate', '--lr'], 'lr_value'), arg(['-d'], 'drop')];
    expect(flagsFor(['batch_size', 'lr', 'drop', 'lr_value'], args)).toEqual({ batch_size: '--batch-size', lr: '--lr', drop: '-d', lr_value: '--learning-rate' });
  });

  test('a value already on the command line is replaced, in either spelling; others are appended', () => {
    const flags = { lr: '--lr', batch_size: '--batch-size', opt: '--opt' };
    expect(commandWithParams(['python', 't.py', '--lr', '0.1', '--batch-size=8'], { lr: 0.001, batch_size: 32, opt: 'adam' }, flags)).toEqual([
      'python', 't.py', '--lr', '0.001', '--batch-size=32', '--opt', 'adam',
    ]);
  });
});
