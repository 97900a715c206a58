/** Reading results: seeds, diverged and broken files told apart; at scale, neither overflow nor crash. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../src/collect/report.js';
import { readRunLog, readSeedResults } from '../../src/collect/results.js';
import { summarize } from '../../src/collect/stats.js';
import { specSeeds } from '../../src/core/seeds.js';
import { tempDir } from '../support/temp.js';

describe('reading results/SLUG/seed_N.json', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir('expkit-results-');
    mkdirSync(join(root, 'results', 's'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const put = (file: string, text: string) => writeFileSync(join(root, 'results', 's', file), text);

  test.each(['15.5', '1e300', '-1', '"3"', '4294967296'])('a seed of %s is one clear error (exit 2)', (seed) => {
    put('seed_1.json', `{"seed": ${seed}, "final": {"acc": 1}}`);
    expect(() => readSeedResults(root, 's')).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^invalid seed .* in results\/s\/seed_1\.json: a seed is an integer from 0 to 4294967295$/) }),
    );
  });

  test('diverged, smoke, non-object and broken files are told apart', () => {
    put('seed_1.json', '{"seed": 1, "final": {"acc": 0.9}}');
    put('seed_2.json', '{"seed": 2, "final": {"acc": null}, "diverged": true}');
    put('seed_3.json', '{"seed": 3, "final": {"acc": 0.1}, "smoke": true}');
    put('seed_4.json', 'null');
    put('seed_5.json', '{"seed": 5, "final": {"loss": NaN}}');
    const r = readSeedResults(root, 's');
    expect(r.results).toEqual([{ seed: 1, final: { acc: 0.9 } }]);
    expect(r.diverged).toEqual([2]);
    expect(r.problems.map((p) => [p.file, p.problem.split(':')[0]])).toEqual([
      ['seed_3.json', 'a --smoke result, not counted'],
      ['seed_4.json', 'not a JSON object'],
      ['seed_5.json', 'unreadable'],
    ]);
  });

  test("the spec's seeds: a list or a count", () => {
    expect(specSeeds(3)).toEqual([1, 2, 3]);
    expect(specSeeds([4, 15.5, 1e300, 7])).toEqual([4, 7]);
    expect(specSeeds('3')).toEqual([]);
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('collect at scale', () => {
  test('150,000 seed files are read and summarized without overflowing the stack', () => {
    const root = tempDir('expkit-collect-');
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
    const dir = tempDir('expkit-collect-');
    dirs.push(dir);
    expect(readRunLog(join(dir, 'output.log'))).toBeNull();
    writeFileSync(join(dir, 'output.log'), 'Traceback (most recent call last):\n');
    expect(readRunLog(join(dir, 'output.log'))).toBe('Traceback (most recent call last):\n');
  });
});
