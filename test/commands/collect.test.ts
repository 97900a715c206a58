import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeExperiment } from '../support/experiment.js';
import { useProject } from '../support/runs.js';

describe('launch SLUG --seeds and collect (process backend, real runs)', () => {
  const p = useProject();
  beforeAll(() => {
    writeExperiment(p.dir, 'demo', 'status: planned\nmetrics: [accuracy, loss]\nbaseline:\n  accuracy: 0.75\n# keep this comment\n');
    writeExperiment(p.dir, 'crashy', 'status: planned\nbaseline: 0.9\n');
    writeExperiment(p.dir, 'slow', 'status: planned\n');
  });

  test('a 3-seed sweep: collect reports mean ± std by seed, delta and outcome; the spec goes running → completed', async () => {
    const launched = await p.json(['launch', 'demo', '--backend', 'process', '--seeds', '1,2,3']);
    const names: string[] = launched.runs.map((r: any) => r.name);
    expect(names).toHaveLength(3);
    names.forEach((n, i) => expect(n).toMatch(new RegExp(`^demo-\\d{4}-\\d{4}-s${i + 1}$`)));
    const specPath = join(p.dir, 'experiments', 'demo.md');
    const running = readFileSync(specPath, 'utf8');
    expect(running).toMatch(/status: running/);
    expect(running).toContain('# keep this comment');
    expect(running).toContain(`run: [${names.join(', ')}]`);
    // A running spec is not launched twice. These runs are short: each run's wrapper settles the spec
    // as it ends (under the launch lock), so the refusal may also name the lock or a completed spec.
    const again = await p.cli(['launch', 'demo', '--backend', 'process']);
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toMatch(/already (running|completed)|is being launched by another expkit launch/);

    for (const n of names) expect((await p.cli(['wait', n, '--timeout', '60'])).exitCode).toBe(0);
    expect(p.manifest(names[1])).toMatchObject({ slug: 'demo', seed: 2, seeds: [1, 2, 3], env: { SEEDS: '2', SEED: '2' } });
    expect(p.log(names[1])).toContain('epoch 1/1 seed 2');

    const r = await p.json(['collect', 'demo']);
    // accuracy 0.80, 0.84, 0.82: mean 0.82, sample std sqrt((0.0004+0.0004+0)/2) = 0.02
    const acc = r.metrics.find((m: any) => m.metric === 'accuracy');
    expect(acc.n).toBe(3);
    expect(acc.mean).toBeCloseTo(0.82, 10);
    expect(acc.std).toBeCloseTo(0.02, 10);
    expect(acc.delta).toBeCloseTo(0.07, 10);
    expect(acc.direction).toBe('higher');
    // loss 0.5, 0.4, 0.45: mean 0.45, std 0.05, lower is better, no baseline
    const loss = r.metrics.find((m: any) => m.metric === 'loss');
    expect(loss).toMatchObject({ direction: 'lower', baseline: null, delta: null, n: 3 });
    expect(loss.mean).toBeCloseTo(0.45, 10);
    expect(loss.std).toBeCloseTo(0.05, 10);
    expect(r).toMatchObject({ outcome: 'succeeded', primaryMetric: 'accuracy', seeds: [1, 2, 3], missingSeeds: [], crashedSeeds: [], specStatus: 'completed' });

    const spec = readFileSync(specPath, 'utf8');
    expect(spec).toMatch(/status: completed/);
    expect(spec).toMatch(/outcome: succeeded/);
    expect(spec).toMatch(/result: accuracy = 0\.82 ± 0\.02 \(n=3\), \+0\.07 vs baseline 0\.75/);
    const log = readFileSync(join(p.dir, 'experiments', 'log.md'), 'utf8').trim().split('\n');
    // Between them, the line of the spec settling when its last run ended (each run's wrapper records
    // its outcome through `status`, which settles the spec), unless collect got there first.
    expect(log[0]).toMatch(/launched .* on process \(seeds 1,2,3\)/);
    expect(log.slice(1, -1).every((l) => /completed: every run ended/.test(l))).toBe(true);
    expect(log.length).toBeLessThanOrEqual(3);
    expect(log[log.length - 1]).toMatch(/collected: succeeded/);

    const md = await p.cli(['collect', 'demo']);
    expect(md.stdout).toContain('| accuracy (primary) | higher | 0.82 ± 0.02 | 3 | 0.75 | +0.07 (better) |');
    // Collecting an unchanged experiment again does not repeat its log.md line.
    expect(readFileSync(join(p.dir, 'experiments', 'log.md'), 'utf8').trim().split('\n')).toHaveLength(log.length);
    // Completed specs are not launched again.
    expect((await p.cli(['launch', 'demo', '--backend', 'process'])).exitCode).toBe(3);
  });

  test('a crashed seed is named with its crash line; one seed is inconclusive', async () => {
    const launched = await p.json(['launch', 'crashy', '--backend', 'process', '--seeds', '1,7']);
    for (const r of launched.runs) await p.cli(['wait', r.name, '--timeout', '60']);
    const r = await p.json(['collect', launched.runs[1].name]);
    expect(r.slug).toBe('crashy');
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toMatch(/only 1 seed/);
    expect(r.crashedSeeds).toEqual([{ seed: 7, run: launched.runs[1].name, line: 'RuntimeError: no data for seed 7' }]);
    expect(r.missingSeeds).toEqual([7]);
  });

  test('a stopped experiment without results: exit 2, the spec becomes stopped (not completed) and can be launched again', async () => {
    writeExperiment(p.dir, 'halted', 'status: planned\nseeds: 3\n');
    expect((await p.cli(['launch', 'halted', '--backend', 'process', '--name', 'halted-run'], { SLOW: '1' })).exitCode).toBe(0);
    expect((await p.cli(['stop', 'halted-run'])).exitCode).toBe(0);
    const c = await p.cli(['collect', 'halted']);
    expect(c.exitCode).toBe(2);
    expect(c.stderr.split('\n')[0]).toBe('expkit: nothing to collect for halted: no results/halted/seed_*.json; its runs ended stopped');
    const specPath = join(p.dir, 'experiments', 'halted.md');
    expect(readFileSync(specPath, 'utf8')).toMatch(/^status: stopped$/m);
    const again = await p.cli(['launch', 'halted', '--backend', 'process', '--name', 'halted-again'], { SLOW: '1' });
    expect(again.exitCode).toBe(0);
    expect((await p.cli(['stop', 'halted-again'])).exitCode).toBe(0);
  });

  test('collect refuses a running experiment and shows its progress', async () => {
    const launched = await p.cli(['launch', 'slow', '--backend', 'process', '--name', 'slow-run'], { SLOW: '1' });
    expect(launched.exitCode).toBe(0);
    const deadline = Date.now() + 20000;
    while (!p.log('slow-run').includes('epoch') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const c = await p.cli(['collect', 'slow']);
    expect(c.exitCode).toBe(3);
    expect(c.stderr).toContain('slow-run: running, epoch 1/1 seed 1');
    expect((await p.cli(['stop', 'slow-run'])).exitCode).toBe(0);
  });
});
