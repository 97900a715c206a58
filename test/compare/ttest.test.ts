import { twoSidedP, welch } from '../../src/compare/ttest.js';

describe("Welch's t-test against hand-computed values", () => {
  test('df = 2 has a closed form: P(|T| ≥ t) = 1 - t / sqrt(t² + 2)', () => {
    // One-sample [1, 2, 3] against 0: mean 2, std 1, se 1/√3, t = 2√3 = 3.4641, df 2,
    // p = 1 - 2√3/√14 = 0.0741799 (scipy.stats.ttest_1samp([1,2,3], 0): 0.07417990022744854).
    const r = welch({ n: 3, mean: 2, std: 1 }, 0);
    expect(r.t).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(r.df).toBeCloseTo(2, 12);
    expect(r.p).toBeCloseTo(1 - (2 * Math.sqrt(3)) / Math.sqrt(14), 10);
  });

  test('two samples with equal n and variance: df = 2(n-1)', () => {
    // [1, 3] vs [0, 2]: means 2 and 1, variances 2 and 2, se² = 2/2 + 2/2 = 2, t = 1/√2,
    // df = 2² / (1²/1 + 1²/1) = 2, p = 1 - (1/√2)/√2.5 = 0.5527864 (scipy equal_var=False: 0.5527864045000421).
    const r = welch({ n: 2, mean: 2, std: Math.SQRT2 }, { n: 2, mean: 1, std: Math.SQRT2 });
    expect(r.t).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(r.df).toBeCloseTo(2, 12);
    expect(r.p).toBeCloseTo(0.5527864045000421, 10);
  });

  test('unequal variances: fractional df (Welch–Satterthwaite)', () => {
    // A = [0.80, 0.82, 0.84]: mean 0.82, var 0.0004; B = [0.70, 0.71, 0.75]: mean 0.72, var 0.0007.
    // se² = 0.0004/3 + 0.0007/3 = 0.00036667, t = 0.1/√se² = 5.22233,
    // df = se⁴ / ((0.0004/3)²/2 + (0.0007/3)²/2) = 3.72308; scipy p = 0.007800429240485117.
    const r = welch({ n: 3, mean: 0.82, std: Math.sqrt(0.0004) }, { n: 3, mean: 0.72, std: Math.sqrt(0.0007) });
    expect(r.t).toBeCloseTo(5.222329678670929, 9);
    expect(r.df).toBeCloseTo(3.723076923076919, 9);
    expect(r.p).toBeCloseTo(0.007800429240485117, 9);
  });

  test('df = 1 is the Cauchy distribution: p = 1 - 2·atan(t)/π', () => {
    expect(twoSidedP(1, 1)).toBeCloseTo(0.5, 12);
    expect(twoSidedP(3, 1)).toBeCloseTo(1 - (2 * Math.atan(3)) / Math.PI, 12);
  });

  test('no spread or a single value: no p-value', () => {
    expect(welch({ n: 1, mean: 2, std: 0 }, 0).p).toBeNull();
    expect(welch({ n: 3, mean: 2, std: 0 }, { n: 3, mean: 2, std: 0 }).p).toBeNull();
  });
});
