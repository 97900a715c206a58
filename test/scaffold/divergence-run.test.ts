/**
 * The generated pytorch experiment, run for real, at a loss that turns NaN: it stops, writes valid
 * JSON (null, "diverged": true), and collect names the seed; a smoke run never replaces a real result.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { SYSTEM_PYTHON, describeWith, pythonHas } from '../support/components.js';
import { tempDir } from '../support/scaffold.js';

const SLUG = 'blowup';
const SPEC = `---
metrics: [accuracy, loss]
seeds: [1, 2]
hyperparameters: {epochs: 3, num_samples: 128, hidden_size: 8, batch_size: 32}
---
`;

describeWith('torch on /usr/bin/python3 (python3-torch)', pythonHas('torch') && pythonHas('yaml'))('a diverging scaffold run', () => {
  const project = tempDir();
  const runSh = join(project, 'experiments', 'code', SLUG, 'run.sh');
  const resultsFile = (seed: number, smoke = false) => join(project, 'results', SLUG, smoke ? 'smoke' : '', `seed_${seed}.json`);
  const run = (args: string[], env: Record<string, string>) => execa(runSh, args, { cwd: project, reject: false, env: { PYTHON: SYSTEM_PYTHON, ...env }, all: true });

  beforeAll(async () => {
    mkdirSync(join(project, 'experiments'), { recursive: true });
    writeFileSync(join(project, 'experiments', `${SLUG}.md`), SPEC);
    const out = await runCli(['scaffold', SLUG, '--dir', project]);
    expect(out.exitCode).toBe(0);
  });

  test('a real result survives a later run.sh --smoke (smoke results go to results/SLUG/smoke/)', async () => {
    expect((await run([], { SEEDS: '1' })).exitCode).toBe(0);
    const real = readFileSync(resultsFile(1));
    expect(JSON.parse(real.toString())).toMatchObject({ status: 'completed', diverged: false, smoke: false, epochs: 3 });
    const smoke = await run(['--smoke'], { SEEDS: '1' });
    expect(smoke.exitCode).toBe(0);
    expect(readFileSync(resultsFile(1)).equals(real)).toBe(true);
    expect(JSON.parse(readFileSync(resultsFile(1, true), 'utf8'))).toMatchObject({ smoke: true, epochs: 1 });
    expect(existsSync(join(project, 'results', SLUG, 'smoke', 'seed_1.config.yaml'))).toBe(true);
    // Each attempt starts with run.sh's marker in the appended seed log (collect reads the latest).
    const seedLog = readFileSync(join(project, 'logs', SLUG, 'seed_1.log'), 'utf8');
    expect(seedLog.match(/^run\.sh: blowup seed 1 started \d{4}-\d\d-\d\dT[\d:]+Z \(log: logs\/blowup\/seed_1\.log\)$/gm)).toHaveLength(2);
  });

  test('a NaN loss stops training at once and is written as null with "diverged": true', async () => {
    // lr 1e30: AdamW's first step overflows the weights, the loss is NaN from epoch 1.
    const out = await run(['--lr', '1e30'], { SEEDS: '2' });
    expect(out.exitCode).toBe(0);
    expect(out.all).toMatch(/epoch 1\/3 train_loss nan/);
    expect(out.all).toContain('diverged at epoch 1: non-finite loss; stopping');
    expect(out.all).not.toMatch(/epoch 2\/3/);
    const text = readFileSync(resultsFile(2), 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    const r = JSON.parse(text);
    expect(r).toMatchObject({ seed: 2, status: 'diverged', diverged: true, epochs: 1 });
    expect(r.final.loss).toBeNull();
    expect(r.best.loss).toBeNull();
  });

  test('collect reports the diverged seed apart: not averaged, not missing, not crashed', async () => {
    const c = await runCli(['collect', SLUG, '--json'], { cwd: project, env: { EXPKIT_HOME: join(project, '.expkit') } });
    expect(c.exitCode).toBe(0);
    const r = JSON.parse(c.stdout);
    expect(r).toMatchObject({ seeds: [1], divergedSeeds: [2], missingSeeds: [], crashedSeeds: [], problems: [], outcome: 'inconclusive' });
    expect(r.reason).toBe('only 1 seed with results (need at least 2); 1 diverged (non-finite loss)');
    expect(r.metrics.find((m: { metric: string }) => m.metric === 'loss').n).toBe(1);
    const md = await runCli(['collect', SLUG], { cwd: project, env: { EXPKIT_HOME: join(project, '.expkit') } });
    expect(md.stdout).toContain('Seeds that diverged (non-finite loss, not averaged): 2');
  });
});
