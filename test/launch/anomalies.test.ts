import { crashLine, detectAnomalies, lastProgressLine } from '../../src/launch/anomalies.js';

describe('log anomalies', () => {
  test('NaN and inf losses, with line numbers', () => {
    const log = 'epoch 1 loss: 0.52\nepoch 2 loss=nan\nstep 3 | train_loss: -inf\nval acc: nan\n';
    expect(detectAnomalies(log).map((a) => [a.kind, a.line, a.text])).toEqual([
      ['nan-loss', 2, 'epoch 2 loss=nan'],
      ['nan-loss', 3, 'step 3 | train_loss: -inf'],
    ]);
  });

  test('CUDA OOM, traceback (reported by its exception line), OOM killer, NCCL', () => {
    const log = [
      'epoch 1',
      'Traceback (most recent call last):',
      '  File "train.py", line 3, in <module>',
      '    loss.backward()',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
      'Killed',
      'NCCL WARN Call to connect returned Connection refused',
    ].join('\n');
    const found = detectAnomalies(log);
    expect(found.map((a) => [a.kind, a.line])).toEqual([
      ['traceback', 2],
      ['cuda-oom', 5],
      ['killed', 6],
      ['nccl', 7],
    ]);
    expect(found[0].text).toBe('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB');
    for (const a of found) expect(a.suggestion.length).toBeGreaterThan(30);
    expect(crashLine(log)).toBe(found[0].text);
  });

  test('chained tracebacks report the final exception; repeats are capped', () => {
    const log = 'Traceback (most recent call last):\n  x\nKeyError: 1\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  y\nValueError: final\n' + 'loss: nan\n'.repeat(10);
    const found = detectAnomalies(log);
    expect(found.filter((a) => a.kind === 'traceback').map((a) => a.text)).toEqual(['KeyError: 1', 'ValueError: final']);
    expect(found.filter((a) => a.kind === 'nan-loss')).toHaveLength(3);
  });

  test('a clean log has no anomalies; the last progress line', () => {
    const log = 'loading\nepoch 1/3 loss 0.9\n 40%|████      | 4/10 [00:01<00:02, 3.1it/s]\nsaving checkpoint\n';
    expect(detectAnomalies(log)).toEqual([]);
    expect(lastProgressLine(log)).toBe('40%|████      | 4/10 [00:01<00:02, 3.1it/s]');
    expect(lastProgressLine('hello\n')).toBeNull();
    expect(crashLine('fine\n')).toBeNull();
  });
});
