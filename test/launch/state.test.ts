import { decideState, type Probe } from '../../src/launch/state.js';
import type { RunFiles } from '../../src/launch/run-files.js';

const files = (f: Partial<RunFiles>): RunFiles => ({ pid: null, startedAt: null, endedAt: null, exitCode: null, stopRequested: false, notStarted: null, ...f });
const never = (): Probe => {
  throw new Error('the backend must not be asked once the exit code is known');
};

describe('run state', () => {
  test('the exit-code file wins over the backend', () => {
    expect(decideState(files({ exitCode: 0 }), never).state).toBe('succeeded');
    expect(decideState(files({ exitCode: 3 }), never)).toEqual({ state: 'failed', exitCode: 3, reason: 'exit code 3' });
    expect(decideState(files({ exitCode: 143, stopRequested: true }), never).state).toBe('stopped');
    expect(decideState(files({ exitCode: 1, notStarted: 'not started: x failed' }), never)).toEqual({ state: 'not_started', exitCode: null, reason: 'not started: x failed' });
  });
  test('without it, the backend decides', () => {
    expect(decideState(files({ startedAt: 't' }), () => ({ kind: 'alive' })).state).toBe('running');
    expect(decideState(files({}), () => ({ kind: 'alive' })).state).toBe('queued');
    expect(decideState(files({}), () => ({ kind: 'pending', reason: 'Resources' }))).toEqual({ state: 'queued', exitCode: null, reason: 'Resources' });
    expect(decideState(files({ startedAt: 't' }), () => ({ kind: 'gone' })).state).toBe('lost');
    expect(decideState(files({ stopRequested: true }), () => ({ kind: 'gone' })).state).toBe('stopped');
    expect(decideState(files({}), () => ({ kind: 'ended', state: 'failed', exitCode: 9 }))).toMatchObject({ state: 'failed', exitCode: 9 });
    expect(decideState(files({ stopRequested: true }), () => ({ kind: 'ended', state: 'failed', exitCode: null })).state).toBe('stopped');
  });
});
