import { latestAttempt } from '../../src/collect/attempts.js';
import { crashLine } from '../../src/launch/anomalies.js';

const marker = (n: number) => `run.sh: s seed 4 started 2026-01-0${n}T10:00:00Z (log: logs/s/seed_4.log)`;

describe('the latest attempt of an appended seed log', () => {
  test('a traceback of an earlier attempt is not blamed once a later attempt started', () => {
    const log = [marker(1), 'Traceback (most recent call last):', '  File "train.py", line 1', 'RuntimeError: old bug', marker(2), 'epoch 1/3 train_loss 0.5', ''].join('\n');
    expect(latestAttempt(log)).toBe(`${marker(2)}\nepoch 1/3 train_loss 0.5\n`);
    expect(crashLine(latestAttempt(log))).toBeNull();
    expect(crashLine(log)).toBe('RuntimeError: old bug');
  });

  test("the latest attempt's own crash is reported; a log without markers is one attempt", () => {
    const log = [marker(1), 'epoch 1', marker(2), 'Traceback (most recent call last):', '  x', 'ValueError: new bug', ''].join('\n');
    expect(crashLine(latestAttempt(log))).toBe('ValueError: new bug');
    expect(latestAttempt('epoch 1\nKilled\n')).toBe('epoch 1\nKilled\n');
    // A marker-like text inside a line is not a marker.
    expect(latestAttempt(`x ${marker(1)}\nboom\n`)).toBe(`x ${marker(1)}\nboom\n`);
  });
});
