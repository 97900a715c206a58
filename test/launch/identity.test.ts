import { environValue, judgeProcess, parseStartTime, type ExpectedProcess, type ObservedProcess } from '../../src/launch/identity.js';
import { readFileSync } from 'node:fs';

describe('process identity (PID reuse)', () => {
  test('the start time is field 22 of /proc/PID/stat, whatever the command name holds', () => {
    const fields = (comm: string) => `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10 18446744073709551615`;
    expect(parseStartTime(fields('bash'))).toBe('987654');
    expect(parseStartTime(fields('a) b (c'))).toBe('987654');
    expect(parseStartTime('garbage')).toBeNull();
    // This process: a number, and the same on every read.
    const self = readFileSync('/proc/self/stat', 'utf8');
    expect(parseStartTime(self)).toMatch(/^\d+$/);
  });

  test('the run marker from a NUL-separated environ', () => {
    expect(environValue('A=1\0EXPKIT_RUN_ID=abc\0B=2\0', 'EXPKIT_RUN_ID')).toBe('abc');
    expect(environValue('XEXPKIT_RUN_ID=abc\0', 'EXPKIT_RUN_ID')).toBeNull();
    expect(environValue('', 'EXPKIT_RUN_ID')).toBeNull();
  });

  const expected: ExpectedProcess = { runId: 'r1', startTime: '100', bootId: 'boot-a' };
  const seen = (o: Partial<ObservedProcess>): ObservedProcess => ({ alive: true, startTime: '100', bootId: 'boot-a', runId: 'r1', ...o });

  test.each<[string, Partial<ObservedProcess>, ExpectedProcess, string]>([
    ['marker and start time match', {}, expected, 'ours'],
    ['not running (or a zombie)', { alive: false }, expected, 'gone'],
    ['another process with the same PID (start time differs)', { startTime: '200' }, expected, 'other'],
    ['another run’s wrapper started in the same tick', { runId: 'r2' }, expected, 'other'],
    ['a process without the marker', { runId: null }, expected, 'other'],
    ['after a reboot', { bootId: 'boot-b' }, expected, 'other'],
    ['environ unreadable: the start time alone proves it', { runId: undefined }, expected, 'ours'],
    ['environ unreadable and no start time recorded: not provable', { runId: undefined }, { ...expected, startTime: null }, 'other'],
    ['the marker alone (the backend reported the PID, no start time yet)', {}, { ...expected, startTime: null, bootId: null }, 'ours'],
  ])('%s → %s', (_what, observed, exp, verdict) => {
    expect(judgeProcess(exp, seen(observed)).kind).toBe(verdict);
  });
});
