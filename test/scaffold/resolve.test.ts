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
});
