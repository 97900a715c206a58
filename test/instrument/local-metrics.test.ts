/**
 * A script patched by `instrument --wandb` and run by `expkit launch` keeps its metrics in the run
 * folder: every wandb log call is also a metrics.jsonl line, with real wandb offline (no account, no
 * network), and `expkit compare` reads them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWith, FRAMEWORK_PYTHON, pythonHas } from '../support/components.js';
import { fixture, instrumentText } from '../support/instrument.js';
import { useProject } from '../support/runs.js';

const hasWandb = existsSync(FRAMEWORK_PYTHON) && pythonHas('wandb', FRAMEWORK_PYTHON) && pythonHas('torch', FRAMEWORK_PYTHON);

describeWith('real wandb and torch in the framework venv', hasWandb)('instrument --wandb under expkit launch: metrics.jsonl', () => {
  const p = useProject();

  test('each wandb.log call is a line (step, time, values); compare reads the last', async () => {
    const { text, plan } = await instrumentText(fixture('plain_mlp.py'), { wandb: { project: 'local' } }, 'train.py');
    expect(plan.skipped).toEqual([]);
    writeFileSync(join(p.dir, 'train.py'), text);
    const launched = await p.cli(['launch', '--backend', 'process', '--gpus', 'none', '--name', 'mlp', '--', FRAMEWORK_PYTHON, 'train.py', '--epochs', '2'], { WANDB_MODE: 'offline', WANDB_SILENT: 'true' });
    expect(launched.exitCode).toBe(0);
    const waited = await p.cli(['wait', 'mlp', '--timeout', '200']);
    expect([waited.exitCode, p.log('mlp')]).toEqual([0, expect.any(String)]);
    const lines = readFileSync(join(p.runDir('mlp'), 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const train = lines.filter((l) => 'train/loss' in l);
    const evals = lines.filter((l) => 'eval/val_acc' in l);
    // plain_mlp logs train/loss and train/lr per step and eval/val_acc once per epoch (2 epochs).
    expect(train.length).toBeGreaterThan(2);
    expect(evals).toHaveLength(2);
    for (const l of lines) {
      expect(Number.isInteger(l.step)).toBe(true);
      expect(typeof l.time).toBe('number');
    }
    for (let i = 1; i < lines.length; i++) expect(lines[i].step).toBeGreaterThanOrEqual(lines[i - 1].step);
    expect(train[0]['train/lr']).toBeCloseTo(0.05, 10);
    const j = await p.json(['compare', 'mlp', '--metric', 'eval/val_acc']);
    expect(j.runs[0].source).toBe('metrics.jsonl');
    expect(j.runs[0].final['eval/val_acc']).toBe(evals[1]['eval/val_acc']);
    // Nothing went to the network: the run is in wandb's offline folder.
    expect(p.log('mlp')).not.toMatch(/Traceback/);
  }, 240_000);
});
