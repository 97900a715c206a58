import { buildReport } from '../../src/collect/report.js';
import { metricDirection, specDirections } from '../../src/collect/direction.js';
import { summarize } from '../../src/collect/stats.js';

const results = (vals: Record<number, Record<string, number>>) => Object.entries(vals).map(([seed, final]) => ({ seed: Number(seed), final }));

describe('collect report', () => {
  test('mean and sample std by hand', () => {
    // 2, 4, 9: mean 5, deviations -3, -1, 4 → (9 + 1 + 16) / 2 = 13
    const s = summarize([2, 4, 9])!;
    expect(s.mean).toBe(5);
    expect(s.std).toBeCloseTo(Math.sqrt(13), 12);
    expect(summarize([1])!.std).toBe(0);
    expect(summarize([])).toBeNull();
  });

  test('a number baseline applies to the primary metric; lower-is-better losses', () => {
    const r = buildReport({ slug: 's', results: results({ 1: { val_loss: 1.0 }, 2: { val_loss: 1.2 } }), expectedSeeds: [1, 2, 3], crashed: [], baseline: 1.5 });
    // mean 1.1, std sqrt(0.02) ≈ 0.1414, delta -0.4: better by more than the spread
    expect(r.metrics[0]).toMatchObject({ metric: 'val_loss', direction: 'lower', n: 2, baseline: 1.5, improved: true });
    expect(r.metrics[0].delta).toBeCloseTo(-0.4, 12);
    expect(r).toMatchObject({ outcome: 'succeeded', missingSeeds: [3] });
  });

  test('failed when worse; inconclusive when the spread exceeds the delta, or too few seeds, or no baseline', () => {
    expect(buildReport({ slug: 's', results: results({ 1: { acc: 0.6 }, 2: { acc: 0.62 } }), expectedSeeds: [], crashed: [], baseline: { acc: 0.7 } }).outcome).toBe('failed');
    const noisy = buildReport({ slug: 's', results: results({ 1: { acc: 0.5 }, 2: { acc: 0.9 } }), expectedSeeds: [], crashed: [], baseline: { acc: 0.65 } });
    expect(noisy.outcome).toBe('inconclusive');
    expect(noisy.reason).toMatch(/spread/);
    expect(buildReport({ slug: 's', results: results({ 1: { acc: 0.9 } }), expectedSeeds: [], crashed: [], baseline: 0.1 }).reason).toMatch(/only 1 seed/);
    expect(buildReport({ slug: 's', results: results({ 1: { acc: 0.9 }, 2: { acc: 0.8 } }), expectedSeeds: [], crashed: [] }).reason).toMatch(/no baseline/);
  });

  test('the spec states directions and the primary metric in several shapes', () => {
    expect(specDirections(['acc', 'loss']).order).toEqual(['acc', 'loss']);
    expect(specDirections({ bleu: 'max', latency: { goal: 'min' } }).directions).toEqual(new Map([['bleu', 'higher'], ['latency', 'lower']]));
    expect(specDirections([{ name: 'error_rate', direction: 'maximize' }]).directions.get('error_rate')).toBe('higher');
    expect(metricDirection('perplexity', new Map())).toBe('lower');
    expect(metricDirection('f1', new Map())).toBe('higher');
    const r = buildReport({ slug: 's', results: results({ 1: { a: 1, latency: 5 }, 2: { a: 1, latency: 3 } }), expectedSeeds: [], crashed: [], specMetrics: { latency: 'min' }, baseline: 10 });
    expect(r.primaryMetric).toBe('latency');
    expect(r.outcome).toBe('succeeded');
  });
});
