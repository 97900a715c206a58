/**
 * `expkit compare` over real runs started with `launch --backend process`: one script appends to
 * $EXPKIT_RUN_DIR/metrics.jsonl, one only prints `val_acc: 0.8`. The statistics are checked against
 * values computed by hand (written out beside each expectation; scipy agrees to every digit shown).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from '../support/components.js';
import { useProject } from '../support/runs.js';

// Final val_acc per (lr, seed); each run also logs final - 0.1 then final + 0.05 first, so its best
// (0.05 above its final) differs from its final.
const METRICS_JOB = `import argparse, json, os
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float)
p.add_argument("--seed", type=int)
a = p.parse_args()
final = {(0.1, 1): 0.80, (0.1, 2): 0.82, (0.1, 3): 0.84, (0.01, 1): 0.70, (0.01, 2): 0.71, (0.01, 3): 0.75}[(a.lr, a.seed)]
with open(os.path.join(os.environ["EXPKIT_RUN_DIR"], "metrics.jsonl"), "a") as f:
    for step, acc in enumerate([final - 0.1, final + 0.05, final], 1):
        f.write(json.dumps({"step": step, "val_acc": round(acc, 4), "loss": 1.0 / step}) + "\\n")
`;
const PRINT_JOB = 'print("epoch 1 val_acc: 0.5")\nprint("val_acc: 0.8")\n';

describe('expkit compare (real runs, process backend)', () => {
  const p = useProject();

  beforeAll(async () => {
    writeFileSync(join(p.dir, 'metrics_job.py'), METRICS_JOB);
    writeFileSync(join(p.dir, 'print_job.py'), PRINT_JOB);
    for (const [name, lr] of [['a', '0.1'], ['b', '0.01']]) {
      const r = await p.cli(['launch', '--backend', 'process', '--gpus', 'none', '--seeds', '1,2,3', '--name', name, '--', SYSTEM_PYTHON, 'metrics_job.py', '--lr', lr]);
      expect(r.exitCode).toBe(0);
    }
    expect((await p.cli(['launch', '--backend', 'process', '--gpus', 'none', '--name', 'c', '--', SYSTEM_PYTHON, 'print_job.py'])).exitCode).toBe(0);
    const w = await p.cli(['wait', 'a-s1', 'a-s2', 'a-s3', 'b-s1', 'b-s2', 'b-s3', 'c', '--all', '--timeout', '60']);
    expect(w.exitCode).toBe(0);
  }, 90_000);

  test('the run folder is in the manifest env as EXPKIT_RUN_DIR', () => {
    expect(p.manifest('a-s1').env.EXPKIT_RUN_DIR).toBe(p.runDir('a-s1'));
  });

  test('a 2-configuration × 3-seed sweep: params, final/best, mean ± std, best, Welch vs a baseline run', async () => {
    const r = await p.cli(['compare', 'a-s1', 'a-s2', 'a-s3', 'b-s1', 'b-s2', 'b-s3', '--metric', 'val_acc', '--baseline', 'b-s1', '--json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.differingParams).toEqual(['lr']);
    expect(j.primaryMetric).toBe('val_acc');
    const a1 = j.runs.find((x: any) => x.name === 'a-s1');
    expect(a1).toMatchObject({ seed: 1, configuration: 0, source: 'metrics.jsonl', params: { lr: '0.1' }, state: 'succeeded' });
    expect(a1.final.val_acc).toBeCloseTo(0.8, 10);
    expect(a1.best.val_acc).toBeCloseTo(0.85, 10);
    const [c0, c1] = j.configurations;
    expect(c0.runs).toEqual(['a-s1', 'a-s2', 'a-s3']);
    // lr 0.1: [0.80, 0.82, 0.84] → mean 0.82, var ((-.02)² + 0 + .02²)/2 = 0.0004, std 0.02.
    expect(c0.metrics.val_acc.mean).toBeCloseTo(0.82, 10);
    expect(c0.metrics.val_acc.std).toBeCloseTo(0.02, 10);
    expect(c0.metrics.val_acc.n).toBe(3);
    // lr 0.01: [0.70, 0.71, 0.75] → mean 0.72, var (.0004 + .0001 + .0009)/2 = 0.0007, std 0.0264575.
    expect(c1.metrics.val_acc.mean).toBeCloseTo(0.72, 10);
    expect(c1.metrics.val_acc.std).toBeCloseTo(Math.sqrt(0.0007), 10);
    expect(j.best).toMatchObject({ configuration: 0, metric: 'val_acc', direction: 'higher' });
    expect(j.baseline).toEqual({ run: 'b-s1', value: null, configuration: 1 });
    // Welch: se² = .0004/3 + .0007/3, t = 0.1/se = 5.22233, df = 3.72308, two-sided p = 0.0078004.
    expect(c0.vsBaseline.delta).toBeCloseTo(0.1, 10);
    expect(c0.vsBaseline.t).toBeCloseTo(5.222329678670929, 6);
    expect(c0.vsBaseline.df).toBeCloseTo(3.723076923076919, 6);
    expect(c0.vsBaseline.p).toBeCloseTo(0.007800429240485117, 6);
    expect(c0.vsBaseline).toMatchObject({ n: 3, baselineN: 3, warning: null });
    expect(c1.vsBaseline).toBeNull();
    expect(j.warnings).toEqual([]);
    const text = await p.cli(['compare', 'a-s1', 'a-s2', 'a-s3', 'b-s1', 'b-s2', 'b-s3', '--metric', 'val_acc', '--baseline', 'b-s1']);
    expect(text.stdout).toContain('0.82 ± 0.02 (n=3)');
    expect(text.stdout).toContain('Best: configuration 0 by val_acc');
  });

  test('a baseline value with 2 seeds: one-sample test and a warning that n < 3', async () => {
    const j = await p.json(['compare', 'a-s1', 'a-s2', '--metric', 'val_acc', '--baseline', '0.75']);
    // [0.80, 0.82] vs 0.75: mean 0.81, std 0.0141421, se 0.01, t = 6, df 1, p = 1 - 2·atan(6)/π = 0.1051.
    const v = j.configurations[0].vsBaseline;
    expect(j.differingParams).toEqual([]);
    expect(v.t).toBeCloseTo(6, 6);
    expect(v.df).toBeCloseTo(1, 10);
    expect(v.p).toBeCloseTo(1 - (2 * Math.atan(6)) / Math.PI, 6);
    expect(v.warning).toMatch(/fewer than 3 seeds/);
    expect(j.warnings).toHaveLength(1);
  });

  test('a plain script that only prints: the last value found in its log', async () => {
    const j = await p.json(['compare', 'c', '--metric', 'val_acc']);
    expect(j.runs[0]).toMatchObject({ source: 'log', final: { val_acc: 0.8 }, best: { val_acc: 0.8 } });
  });

  test('a metric no run has: exit 2, naming the metrics that exist', async () => {
    const r = await p.cli(['compare', 'a-s1', 'b-s1', '--metric', 'val_los']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no run has the metric val_los; metrics that exist: val_acc, loss');
  });

  test('--sweep NAME reads the runs from the sweep record', async () => {
    const dir = join(p.dir, '.expkit', 'sweeps', 'lr-sweep');
    mkdirSync(dir, { recursive: true });
    // The record as `launch --grid` writes it (src/launch/sweep/record.ts), with these runs.
    const runs = ['a-s1', 'a-s2', 'a-s3', 'b-s1', 'b-s2', 'b-s3'].map((run, i) => ({ config: i < 3 ? 0 : 1, seed: (i % 3) + 1, params: {}, run, previous: [] }));
    const record = { schemaVersion: 1, name: 'lr-sweep', createdAt: '2026-11-29T00:00:00Z', command: ['python', 'train.py'], cwd: p.dir, backend: 'process', grid: [], ranges: [], sample: null, sampleSeed: null, seeds: [1, 2, 3], flags: {}, configs: [], runs };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(record));
    const j = await p.json(['compare', '--sweep', 'lr-sweep', '--metric', 'val_acc']);
    expect(j.sweep).toBe('lr-sweep');
    expect(j.configurations.map((c: any) => c.params.lr)).toEqual(['0.1', '0.01']);
    expect((await p.cli(['compare', '--sweep', 'nope'])).exitCode).toBe(2);
  });
});
