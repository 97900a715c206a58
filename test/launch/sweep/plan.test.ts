import { ExitCode } from '../../../src/core/errors.js';
import { entriesOf, entriesToResume, planSweep } from '../../../src/launch/sweep/plan.js';

const flags = { grid: [] as string[], ranges: [] as string[], sample: null as number | null, sampleSeed: null as number | null, seeds: [] as number[], yes: false };

describe('sweep plans', () => {
  test('grid × seeds; the sample seed is the given one, else the random one, and recorded', () => {
    const p = planSweep('s', { ...flags, grid: ['lr=1,2'], seeds: [1, 2, 3] }, 9);
    expect(p.runs).toHaveLength(6);
    expect(p.sampleSeed).toBeNull();
    expect(planSweep('s', { ...flags, ranges: ['x=uniform:0:1'], sample: 4 }, 9).sampleSeed).toBe(9);
    const a = planSweep('s', { ...flags, ranges: ['x=uniform:0:1'], sample: 4, sampleSeed: 5 }, 9);
    expect(a.sampleSeed).toBe(5);
    expect(planSweep('s', { ...flags, ranges: ['x=uniform:0:1'], sample: 4, sampleSeed: 5 }, 77).configs).toEqual(a.configs);
  });

  test('more than 1000 runs need --yes; counted before expanding', () => {
    const big = { ...flags, grid: ['a=1,2,3,4,5,6,7,8,9,10', 'b=1,2,3,4,5,6,7,8,9,10', 'c=1,2,3,4,5,6,7,8,9,10'], seeds: [1, 2] };
    try {
      planSweep('s', big, 0);
      throw new Error('not refused');
    } catch (err: any) {
      expect(err.exitCode).toBe(ExitCode.Usage);
      expect(err.message).toBe('this sweep would start 2000 runs (more than 1000); pass --yes to launch them all');
    }
    expect(planSweep('s', { ...big, yes: true }, 0).runs).toHaveLength(2000);
    expect(planSweep('s', { ...big, seeds: [] }, 0).runs).toHaveLength(1000);
  });

  test('a sweep name too long for its run names is refused before anything', () => {
    expect(() => planSweep('x'.repeat(98), { ...flags, grid: ['lr=1,2'], seeds: [1] }, 0)).toThrow(/run names would be invalid .*longer than 100 characters.*choose a shorter --sweep NAME/);
  });

  test('--range without --sample and --sample without --range are refused', () => {
    expect(() => planSweep('s', { ...flags, ranges: ['x=uniform:0:1'] }, 0)).toThrow('--range needs --sample N');
    expect(() => planSweep('s', { ...flags, grid: ['x=1'], sample: 3 }, 0)).toThrow('--sample needs at least one --range');
  });

  test('resume restarts what did not succeed and keeps succeeded or live runs', () => {
    const entries = entriesOf(planSweep('s', { ...flags, grid: ['x=1,2,3,4,5,6'] }, 0).runs);
    ['a', 'b', 'c', 'd', 'e'].forEach((run, i) => (entries[i].run = run));
    const states: Record<string, string | null> = { a: 'succeeded', b: 'failed', c: 'running', d: 'lost', e: null };
    expect(entriesToResume(entries, (r) => states[r] ?? null)).toEqual([1, 3, 4, 5]);
  });
});
