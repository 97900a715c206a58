/**
 * Welch's t-test (unequal variances) and its two-sided p-value, from the Student t distribution's
 * CDF through the regularized incomplete beta function (Numerical Recipes' continued fraction).
 * Pure; no dependency for one formula.
 */

export interface TTest {
  t: number;
  df: number;
  /** Two-sided p-value; null when undefined (no spread in either sample, or too few values). */
  p: number | null;
}

function logGamma(x: number): number {
  // Stirling's series, exact to double precision once x ≥ 10; smaller x are shifted up by
  // Γ(x) = Γ(x + k) / (x (x+1) … (x+k-1)). Only x > 0 occurs here (half-integers and df/2).
  let shift = 0;
  while (x < 10) {
    shift += Math.log(x);
    x += 1;
  }
  const x2 = x * x;
  const series = 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x * x2 * x2) - 1 / (1680 * x * x2 * x2 * x2) + 1 / (1188 * x * x2 * x2 * x2 * x2);
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b), the regularized incomplete beta function. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only on this side; the other uses the symmetry.
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(|T| ≥ |t|) for Student's t with df degrees of freedom (df may be fractional, as Welch's is). */
export function twoSidedP(t: number, df: number): number {
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

interface Sample {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1). */
  std: number;
}

/**
 * Welch's test of a against b. A baseline given as a value is a sample without spread and with
 * infinite n: the test becomes the one-sample t-test of a against it (df = n - 1).
 */
export function welch(a: Sample, b: Sample | number): TTest {
  const bVar = typeof b === 'number' ? 0 : (b.std * b.std) / b.n;
  const bMean = typeof b === 'number' ? b : b.mean;
  const aVar = (a.std * a.std) / a.n;
  const se2 = aVar + bVar;
  const diff = a.mean - bMean;
  if (a.n < 2 || (typeof b !== 'number' && b.n < 2) || !(se2 > 0)) return { t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: NaN, p: null };
  const bTerm = typeof b === 'number' ? 0 : (bVar * bVar) / (b.n - 1);
  const df = (se2 * se2) / ((aVar * aVar) / (a.n - 1) + bTerm);
  const t = diff / Math.sqrt(se2);
  return { t, df, p: twoSidedP(t, df) };
}
