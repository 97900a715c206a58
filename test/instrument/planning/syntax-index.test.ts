/**
 * The planners' index of the script's code: calls, keywords, definitions, imports, assignments and
 * conditions come from the tree, so commented-out code and docstrings never count — and a patch
 * is not declined because an old line in a comment looks like the script already does it.
 */
import { indexSyntax } from '../../../src/instrument/planning/syntax-index.js';
import { parserFor, py } from '../../support/analyze.js';
import { fixture, instrumentText } from '../../support/instrument.js';

/** The index of `text`, read inside `check` (WASM trees are freed afterwards). */
async function withIndex(text: string, check: (idx: ReturnType<typeof indexSyntax>) => void) {
  const parsed = (await parserFor('wasm')).parse(text);
  try {
    check(indexSyntax(parsed.root));
  } finally {
    parsed.dispose();
  }
}

describe('indexSyntax', () => {
  test('calls, keywords and definitions in code only, not in comments or docstrings', async () => {
    await withIndex(py`
      """Usage: trainer.fit(model, ckpt_path="last")"""
      import lightning.pytorch as pl
      from omegaconf import OmegaConf as OC, DictConfig
      import numpy, torch.nn

      # trainer.fit(model, ckpt_path="last")
      def main(cfg):
          a = b = 0
          x, self.y = f(1), g(k=2)
          if cfg.seed is None:
              pass
          elif not cfg.fast:
              pass
          trainer = pl.Trainer(max_epochs=1)
          trainer .fit(model)

      class Loop:
          pass
    `, (idx) => {
      expect(idx.calls.map((c) => c.callee)).toEqual(['f', 'g', 'pl.Trainer', 'trainer.fit']);
      expect(idx.keywordsNamed('k').map((k) => k.text)).toEqual(['k=2']);
      expect(idx.keywordsNamed('ckpt_path')).toEqual([]);
      expect([...idx.functions.keys()]).toEqual(['main']);
      expect([...idx.classes.keys()]).toEqual(['Loop']);
      expect(idx.imports.map(({ module, imported, name }) => ({ module, imported, name }))).toEqual([
        { module: 'lightning.pytorch', imported: null, name: 'pl' },
        { module: 'omegaconf', imported: 'OmegaConf', name: 'OC' },
        { module: 'omegaconf', imported: 'DictConfig', name: 'DictConfig' },
        { module: 'numpy', imported: null, name: 'numpy' },
        { module: 'torch.nn', imported: null, name: 'torch' },
      ]);
      const main = idx.functions.get('main')![0]!;
      expect([...idx.assignmentsIn(main).keys()]).toEqual(['a', 'b', 'x', 'self.y', 'trainer']);
      expect([...idx.assignmentsIn(null).keys()]).toEqual([]);
      expect(idx.conditions.map((c) => c.text)).toEqual(['cfg.seed is None', 'not cfg.fast']);
    });
  });
});

test('module-level assignments: between the functions, class bodies included, not inside any def', async () => {
  await withIndex(py`
    lr = 0.1
    def f():
        inner = 1
        def g():
            deeper = 2
        return inner
    class C:
        size = 3
        def m(self):
            self.x = 4
    if __name__ == "__main__":
        args, rest = parse()
  `, (idx) => {
    expect([...idx.assignmentsIn(null).keys()]).toEqual(['lr', 'size', 'args', 'rest']);
    expect([...idx.assignmentsIn(idx.functions.get('f')![0]!).keys()]).toEqual(['inner', 'deeper']);
  });
});

describe('commented-out code does not decline a patch', () => {
  const checkpoint = { checkpoint: { every: 1, dir: 'ckpt' } };

  test('Lightning: a ckpt_path in a comment is not resuming', async () => {
    const source = fixture('instrument/lightning/input.py').replace('    trainer.fit(', '    # callbacks=[ModelCheckpoint(save_last=True)]; trainer.fit(model, ckpt_path="last")\n    trainer.fit(');
    const { plan } = await instrumentText(source, checkpoint);
    expect(plan.skipped).toEqual([]);
    expect(plan.edits.some((e) => e.kind === 'checkpoint' && e.text.includes('ckpt_path='))).toBe(true);
  });

  test('HF Trainer: resume_from_checkpoint in a comment is not resuming', async () => {
    const source = fixture('hf_trainer_plain.py').replace(/^(\s*)(trainer\.train\()/m, '$1# trainer.train(resume_from_checkpoint=True)\n$1$2');
    expect(source).toContain('# trainer.train(resume_from_checkpoint=True)');
    const { plan } = await instrumentText(source, checkpoint, 'hf_trainer_plain.py');
    expect(plan.skipped).toEqual([]);
    expect(plan.edits.some((e) => e.kind === 'checkpoint' && e.text.includes('resume_from_checkpoint='))).toBe(true);
  });
});
