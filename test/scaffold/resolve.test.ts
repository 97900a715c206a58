import type { ExpkitError } from '../../src/core/errors.js';
import { resolveScaffoldConfig } from '../../src/scaffold/resolve.js';
import { parseSpecText } from '../../src/spec/frontmatter.js';

const spec = (text: string) => parseSpecText(text, 'experiments/exp.md');
const hyper = (c: ReturnType<typeof resolveScaffoldConfig>, name: string) => c.hyperparameters.find((h) => h.name === name);

describe('resolveScaffoldConfig', () => {
  test('a full spec sets every field and keeps unknown ones', () => {
    const c = resolveScaffoldConfig({
      slug: 'cnn-dropout',
      spec: spec(`---
title: Dropout in a small CNN
hypothesis: dropout 0.3 beats 0.1
setup:
  model: resnet18
  dataset: cifar10
  hardware: 1x A100
  framework: PyTorch Lightning
  optimizer_notes: kept too
metrics:
  - accuracy
  - name: val_loss
  - {name: calibration, goal: min}
baseline: {run: cnn-base, accuracy: 0.91}
seeds: [7, 8]
hyperparameters:
  epochs: 20
  lr: 1
  dropout: 0.3
  width_mult: 1.5
  use_amp: true
extra_hyperparameters: [width_mult, use_amp]
owner: alice
---
notes
`),
    });
    expect(c).toMatchObject({
      slug: 'cnn-dropout', framework: 'lightning', title: 'Dropout in a small CNN', hypothesis: 'dropout 0.3 beats 0.1',
      model: 'resnet18', dataset: 'cifar10', hardware: '1x A100', baseline: { run: 'cnn-base', accuracy: 0.91 }, seeds: [7, 8],
      extra: { owner: 'alice', setup: { optimizer_notes: 'kept too' } },
    });
    expect(c.metrics).toEqual([
      { name: 'accuracy', goal: 'max' },
      { name: 'val_loss', goal: 'min' },
      { name: 'calibration', goal: 'min' },
    ]);
    expect(hyper(c, 'epochs')).toMatchObject({ value: 20, kind: 'int' });
    // lr is a float hyperparameter even when the spec writes a whole number
    expect(hyper(c, 'lr')).toMatchObject({ value: 1, kind: 'float' });
    expect(hyper(c, 'width_mult')).toMatchObject({ value: 1.5, kind: 'float' });
    expect(hyper(c, 'use_amp')).toMatchObject({ value: true, kind: 'bool' });
    expect(c.warnings).toEqual([expect.stringContaining('"calibration" has no built-in implementation')]);
  });

  test('a partial spec falls back to defaults', () => {
    const c = resolveScaffoldConfig({ slug: 'p', spec: spec('---\nmetrics: [loss]\n---\n') });
    expect(c).toMatchObject({ framework: 'pytorch', title: 'p', model: null, seeds: [1, 2, 3], metrics: [{ name: 'loss', goal: 'min' }] });
    expect(hyper(c, 'epochs')?.value).toBe(10);
    expect(c.warnings).toEqual([]);
  });

  test('no spec at all gives the defaults', () => {
    const c = resolveScaffoldConfig({ slug: 'p', spec: null });
    expect(c.metrics.map((m) => m.name)).toEqual(['accuracy', 'loss']);
    expect(c.specPath).toBeNull();
  });

  test('top-level model and dataset count like setup fields; a count of seeds expands', () => {
    const c = resolveScaffoldConfig({ slug: 'p', spec: spec('---\nmodel: gpt2\ndataset: sst2\nseeds: 2\n---\n') });
    expect(c).toMatchObject({ model: 'gpt2', dataset: 'sst2', seeds: [1, 2] });
  });

  test('the hf-trainer template fine-tunes the spec model', () => {
    const c = resolveScaffoldConfig({ slug: 'p', framework: 'hf-trainer', spec: spec('---\nsetup: {model: distilbert-base-uncased}\n---\n') });
    expect(hyper(c, 'model_name_or_path')?.value).toBe('distilbert-base-uncased');
  });

  test('--framework wins over the spec; an unknown spec framework warns and uses pytorch', () => {
    expect(resolveScaffoldConfig({ slug: 'p', framework: 'hf-trainer', spec: spec('---\nframework: lightning\n---\n') }).framework).toBe('hf-trainer');
    const c = resolveScaffoldConfig({ slug: 'p', spec: spec('---\nsetup: {framework: jax}\n---\n') });
    expect(c.framework).toBe('pytorch');
    expect(c.warnings[0]).toMatch(/"jax" has no template/);
  });

  test('flags for run.sh win over the spec', () => {
    const c = resolveScaffoldConfig({ slug: 'p', condaEnv: 'flag-env', spec: spec('---\nsetup: {conda_env: spec-env, venv: .venv}\n---\n') });
    expect(c).toMatchObject({ condaEnv: 'flag-env', venv: '.venv', python: null });
  });

  test.each([
    ['seeds: [1, x]', /field "seeds" in experiments\/exp\.md must be a list of integers/],
    ['seeds: [-1]', /seeds/],
    ['metrics: ["bad name"]', /metric "bad name"/],
    ['metrics: [{name: acc, goal: up}]', /goal of metric "acc"/],
    ['metrics: [acc, acc]', /listed twice/],
    ['hyperparameters: [1, 2]', /must be a mapping/],
    ['hyperparameters: {"bad-name": 1}', /not a valid hyperparameter name/],
    ['hyperparameters: {seed: 1}', /"seed" is a train.py option/],
    ['hyperparameters: {epochs: 2.5}', /"epochs" must be an integer/],
    ['hyperparameters: {layers: [1, 2]}', /must be a number, text or true\/false/],
    ['setup: [a]', /field "setup".* must be a mapping/],
    ['title: {a: 1}', /field "title".* must be text/],
  ])('rejects %s', (yaml, message) => {
    expect(() => resolveScaffoldConfig({ slug: 'p', spec: spec(`---\n${yaml}\n---\n`) })).toThrow(message);
  });

  test('rejects an invalid slug and an unknown --framework', () => {
    expect(() => resolveScaffoldConfig({ slug: '../x', spec: null })).toThrow(/invalid slug/);
    expect(() => resolveScaffoldConfig({ slug: 'x', spec: null, framework: 'keras' })).toThrow(/unknown framework "keras"/);
  });

  test('many unread hyperparameters: the first ten are named, the rest counted (one readable line)', () => {
    const names = Array.from({ length: 12 }, (_, i) => `extra${i}`);
    const yaml = `hyperparameters: {${names.map((n) => `${n}: 1`).join(', ')}}`;
    let err: unknown;
    try {
      resolveScaffoldConfig({ slug: 'p', spec: spec(`---\n${yaml}\n---\n`) });
    } catch (e) {
      err = e;
    }
    const { message, hint } = err as { message: string; hint: string };
    expect(message.match(/"extra\d+" \(did you mean/g)).toHaveLength(10);
    expect(message).toMatch(/"extra9" \(did you mean "[a-z_]+"\?\) and 2 more$/);
    expect(hint).toMatch(/extra_hyperparameters: \[extra0, .*, extra9, …\]$/);
  });

  test('a hyperparameter the template does not read is an error naming the closest one it reads', () => {
    const run = (yaml: string, framework?: string) => () => resolveScaffoldConfig({ slug: 'p', framework, spec: spec(`---\n${yaml}\n---\n`) });
    expect(run('hyperparameters: {hidden: 256, lr: 0.01}')).toThrow(
      'hyperparameter "hidden" in experiments/exp.md is not read by the pytorch template (did you mean "hidden_size"?)',
    );
    expect(run('hyperparameters: {hidden_size: 8, dropuot: 0.2, hiden_size: 3}')).toThrow(
      'hyperparameters in experiments/exp.md not read by the pytorch template: "dropuot" (did you mean "dropout"?), "hiden_size" (did you mean "hidden_size"?)',
    );
    expect(run('hyperparameters: {warmup: 0.1}', 'hf-trainer')).toThrow(/"warmup" .* hf-trainer template \(did you mean "warmup_ratio"\?\)/);
    try {
      run('hyperparameters: {hidden: 256}')();
    } catch (err) {
      expect((err as ExpkitError).exitCode).toBe(2);
      expect((err as ExpkitError).message).not.toContain('\n');
      expect((err as ExpkitError).hint).toContain('extra_hyperparameters: [hidden]');
    }
    expect.assertions(6);
  });

  test('extra_hyperparameters declares ones that code the user adds reads: they become flags', () => {
    const c = resolveScaffoldConfig({ slug: 'p', spec: spec('---\nhyperparameters: {hidden: 256}\nextra_hyperparameters: [hidden]\n---\n') });
    expect(hyper(c, 'hidden')).toMatchObject({ value: 256, kind: 'int' });
    expect(hyper(c, 'hidden_size')?.value).toBe(64);
    expect(c.extra).toEqual({});
    expect(c.warnings).toEqual([]);
  });

  test.each([
    ['extra_hyperparameters: hidden', /"extra_hyperparameters" .* must be a list of hyperparameter names/],
    ['extra_hyperparameters: [1]', /"extra_hyperparameters" .* must be a list of hyperparameter names/],
  ])('rejects %s', (yaml, message) => {
    expect(() => resolveScaffoldConfig({ slug: 'p', spec: spec(`---\n${yaml}\n---\n`) })).toThrow(message);
  });

  test('an extra_hyperparameters name the spec does not set is a warning', () => {
    const c = resolveScaffoldConfig({ slug: 'p', spec: spec('---\nextra_hyperparameters: [hidden]\n---\n') });
    expect(c.warnings).toEqual(['extra_hyperparameters names "hidden", which hyperparameters does not set in experiments/exp.md; it is ignored']);
  });

  test('misspelled top-level and setup fields warn with the closest known name and stay under extra', () => {
    const c = resolveScaffoldConfig({
      slug: 'p',
      spec: spec('---\nmetircs: [accuracy]\nbaselin: 0.9\nhyperparamters: {lr: 0.1}\nsetup: {framwork: pytorch}\nowner: alice\nstatus: planned\nprimary_metric: accuracy\n---\n'),
    });
    expect(c.warnings).toEqual([
      'unknown field "metircs" in experiments/exp.md: did you mean "metrics"? (kept under extra, not used)',
      'unknown field "baselin" in experiments/exp.md: did you mean "baseline"? (kept under extra, not used)',
      'unknown field "hyperparamters" in experiments/exp.md: did you mean "hyperparameters"? (kept under extra, not used)',
      'unknown field "setup.framwork" in experiments/exp.md: did you mean "setup.framework"? (kept under extra, not used)',
    ]);
    expect(c.extra).toEqual({ metircs: ['accuracy'], baselin: 0.9, hyperparamters: { lr: 0.1 }, setup: { framwork: 'pytorch' }, owner: 'alice', status: 'planned', primary_metric: 'accuracy' });
    // What the typos meant did not happen: defaults are used.
    expect(c.metrics.map((m) => m.name)).toEqual(['accuracy', 'loss']);
    expect(hyper(c, 'lr')?.value).toBe(0.001);
  });
});
