import { gridConfigs, planRuns, sampleConfigs, seededRandom, shortKey, valueTag } from '../../../src/launch/sweep/expand.js';
import { parseRangeAxis } from '../../../src/launch/sweep/params.js';

describe('sweep expansion', () => {
  test('the grid is the cartesian product, first axis slowest', () => {
    expect(gridConfigs([{ key: 'lr', values: [1, 2] }, { key: 'bs', values: [32, 64] }])).toEqual([
      { lr: 1, bs: 32 }, { lr: 1, bs: 64 }, { lr: 2, bs: 32 }, { lr: 2, bs: 64 },
    ]);
    expect(gridConfigs([])).toEqual([{}]);
  });

  test('sampling is reproducible from its seed, within bounds, and differs across seeds', () => {
    const ranges = ['lr=loguniform:1e-5:1e-2', 'dropout=uniform:0:0.5', 'layers=choice:2,4,8'].map(parseRangeAxis);
    const a = sampleConfigs(ranges, 50, 1234);
    expect(sampleConfigs(ranges, 50, 1234)).toEqual(a);
    expect(sampleConfigs(ranges, 50, 1235)).not.toEqual(a);
    for (const c of a) {
      expect(c.lr).toBeGreaterThanOrEqual(1e-5);
      expect(c.lr).toBeLessThanOrEqual(1e-2);
      expect(c.dropout).toBeGreaterThanOrEqual(0);
      expect(c.dropout).toBeLessThan(0.5);
      expect([2, 4, 8]).toContain(c.layers);
    }
    // loguniform spreads over decades: about a third of 50 draws lands in each of the three.
    const decades = [1e-5, 1e-4, 1e-3].map((lo) => a.filter((c) => (c.lr as number) >= lo && (c.lr as number) < lo * 10).length);
    for (const n of decades) expect(n).toBeGreaterThan(5);
    expect(new Set(a.map((c) => c.layers)).size).toBe(3);
  });

  test('the PRNG is fixed: the same numbers on every platform', () => {
    const r = seededRandom(42);
    const first = [r(), r(), r()];
    const again = seededRandom(42);
    expect([again(), again(), again()]).toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  test('run names carry the values compactly and stay unique', () => {
    expect(shortKey('batch_size')).toBe('bs');
    expect(shortKey('lr')).toBe('lr');
    expect(valueTag(0.001)).toBe('1e-3');
    expect(valueTag(0.5)).toBe('0.5');
    expect(valueTag(0.0003)).toBe('3e-4');
    expect(valueTag(0.000123456)).toBe('1.23e-4');
    expect(valueTag(32)).toBe('32');
    expect(valueTag('adam/w')).toBe('adamw');
    expect(valueTag('../data')).toBe('.data');
    const runs = planRuns('sw', gridConfigs([{ key: 'lr', values: [0.001, 0.0003] }, { key: 'batch_size', values: [32, 64] }]), [1, 2]);
    expect(runs.map((r) => r.name)).toEqual([
      'sw-lr1e-3-bs32-s1', 'sw-lr1e-3-bs32-s2', 'sw-lr1e-3-bs64-s1', 'sw-lr1e-3-bs64-s2',
      'sw-lr3e-4-bs32-s1', 'sw-lr3e-4-bs32-s2', 'sw-lr3e-4-bs64-s1', 'sw-lr3e-4-bs64-s2',
    ]);
    // Keys whose short forms clash keep their names; values that round alike get the config index.
    expect(planRuns('sw', [{ batch_size: 1, base_score: 2 }], []).map((r) => r.name)).toEqual(['sw-batchsize1-basescore2']);
    expect(planRuns('sw', [{ lr: 0.0012341 }, { lr: 0.0012342 }], []).map((r) => r.name)).toEqual(['sw-c1-lr0.00123', 'sw-c2-lr0.00123']);
    // Too many keys for a folder name: the configuration number stands for the values.
    const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, `value${i}`]));
    expect(planRuns('sw', [wide, { ...wide, key0: 'other' }], [4294967295]).map((r) => r.name)).toEqual(['sw-c1-s4294967295', 'sw-c2-s4294967295']);
  });
});
