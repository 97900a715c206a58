/** Reading results at scale, and what is missing: collect must neither overflow nor crash. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport } from '../../src/collect/report.js';
import { readRunLog, readSeedResults } from '../../src/collect/results.js';
import { summarize } from '../../src/collect/stats.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('collect at scale', () => {
  test('150,000 seed files are read and summarized without overflowing the stack', () => {
    const root = mkdtempSync(join(tmpdir(), 'expkit-collect-'));
    dirs.push(root);
    const dir = join(root, 'results', 'many');
    mkdirSync(dir, { recursive: true });
    const N = 150_000;
    for (let seed = 1; seed <= N; seed++) writeFileSync(join(dir, `seed_${seed}.json`), `{"seed":${seed},"final":{"accuracy":${(seed % 1000) / 1000}}}`);
    const { results, problems } = readSeedResults(root, 'many');
    expect(problems).toEqual([]);
    expect(results).toHaveLength(N);
    const report = buildReport({ slug: 'many', results, expectedSeeds: results.map((r) => r.seed), crashed: [], specMetrics: ['accuracy'], baseline: undefined, primaryMetric: undefined });
    const acc = report.metrics.find((m) => m.metric === 'accuracy')!;
    expect(acc).toMatchObject({ n: N, min: 0, max: 0.999 });
  });

  test('summarize finds min and max of more values than a call can take as arguments', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000);
    expect(summarize(values)).toMatchObject({ n: 300_000, min: 0, max: 299_999 });
  });
});

describe('a run without output.log', () => {
  test('reads as no log (a crash line cannot come from it), not an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'expkit-collect-'));
    dirs.push(dir);
    expect(readRunLog(join(dir, 'output.log'))).toBeNull();
    writeFileSync(join(dir, 'output.log'), 'Traceback (most recent call last):\n');
    expect(readRunLog(join(dir, 'output.log'))).toBe('Traceback (most recent call last):\n');
  });
});
