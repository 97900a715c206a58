/** Expanding sweep axes into configurations and runs. Pure and reproducible from the sample seed. */
import { MAX_NAME_LENGTH } from '../../core/names.js';
import type { Distribution, GridAxis, Params, ParamValue, RangeAxis } from './params.js';

/** The cartesian product of the grid axes, first axis slowest (one empty config without axes). */
export function gridConfigs(axes: readonly GridAxis[]): Params[] {
  let out: Params[] = [{}];
  for (const axis of axes) out = out.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.key]: v })));
  return out;
}

/** mulberry32: a small seeded PRNG; the same seed gives the same draws on every Node version. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Six significant digits: the value a flag carries is exactly the one recorded. */
function rounded(x: number): number {
  return Number(x.toPrecision(6));
}

function draw(d: Distribution, random: () => number): ParamValue {
  const u = random();
  if (d.kind === 'choice') return d.values[Math.min(d.values.length - 1, Math.floor(u * d.values.length))];
  if (d.kind === 'uniform') return rounded(d.low + u * (d.high - d.low));
  return rounded(Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))));
}

/** N configurations drawn from the ranges, axis by axis in the given order. */
export function sampleConfigs(ranges: readonly RangeAxis[], n: number, seed: number): Params[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Object.fromEntries(ranges.map((r) => [r.key, draw(r.distribution, random)])));
}

/** Every configuration of a sweep: each grid combination with each sampled one. */
export function sweepConfigs(grid: readonly GridAxis[], ranges: readonly RangeAxis[], sample: number | null, sampleSeed: number): Params[] {
  const combos = gridConfigs(grid);
  if (sample === null || ranges.length === 0) return combos;
  const samples = sampleConfigs(ranges, sample, sampleSeed);
  return combos.flatMap((c) => samples.map((s) => ({ ...c, ...s })));
}

export interface PlannedRun {
  config: number;
  params: Params;
  seed: number | null;
  /** The run name the launch tries first (made unique by the registry when taken). */
  name: string;
}

/** `batch_size` → `bs`, `lr` → `lr`, `dropout` → `dropout`: short but recognisable. */
export function shortKey(key: string): string {
  const words = key.split(/[_.-]+/).filter(Boolean);
  return words.length > 1 ? words.map((w) => w[0]).join('').toLowerCase() : key.toLowerCase().slice(0, 10);
}

/** `1e-3` → `1e-3`, `0.000123` → `1.23e-4`, `adam/w` → `adamw`: name-safe and short. */
export function valueTag(v: ParamValue): string {
  if (typeof v === 'number' && v !== 0 && !Number.isInteger(v)) {
    const fixed = String(Number(v.toPrecision(3)));
    const exp = v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
    return (exp.length < fixed.length ? exp : fixed).replace(/[^A-Za-z0-9.-]/g, '');
  }
  // `..` is refused in names (it reads as a parent folder): `../data` becomes `.data`.
  return String(v).replace(/[^A-Za-z0-9.-]/g, '').replace(/\.{2,}/g, '.').slice(0, 16) || 'x';
}

/**
 * One run per configuration and seed, named `SWEEP-lr1e-3-bs32-s1`. Keys whose short forms clash
 * keep their full names; configurations whose tags still clash (rounded samples) get their index.
 */
export function planRuns(sweep: string, configs: readonly Params[], seeds: readonly number[]): PlannedRun[] {
  const keys = Object.keys(configs[0] ?? {});
  const shorts = keys.map(shortKey);
  const label = (k: string, i: number) => (shorts.filter((s) => s === shorts[i]).length > 1 ? k.replace(/[^A-Za-z0-9]/g, '') : shorts[i]);
  let tags = configs.map((p) => keys.map((k, i) => `${label(k, i)}${valueTag(p[k])}`).join('-'));
  if (new Set(tags).size !== tags.length) tags = tags.map((t, i) => `c${i + 1}${t ? `-${t}` : ''}`);
  const seedList: (number | null)[] = seeds.length ? [...seeds] : [null];
  // Many keys make names too long for a run folder: then the configuration's number stands for them.
  const longestSeed = Math.max(...seedList.map((s) => (s === null ? 0 : `-s${s}`.length)));
  if (tags.some((t) => sweep.length + 1 + t.length + longestSeed > MAX_NAME_LENGTH)) tags = tags.map((_, i) => `c${i + 1}`);
  return configs.flatMap((params, config) =>
    seedList.map((seed) => ({
      config,
      params,
      seed,
      name: [sweep, tags[config], seed === null ? '' : `s${seed}`].filter(Boolean).join('-'),
    })),
  );
}
