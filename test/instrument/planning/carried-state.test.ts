/**
 * The state a loop carries between iterations in plain variables: what the checkpoint must save
 * besides model, optimizer and RNG states for a resumed run to continue exactly.
 */
import { analyzeSource } from '../../../src/analyze/index.js';
import { makeSourceText } from '../../../src/core/source-text.js';
import { carriedNames } from '../../../src/instrument/planning/carried-state.js';
import { PlanContext } from '../../../src/instrument/planning/context.js';
import { parserFor, py } from '../../support/analyze.js';

/** carriedNames of the first `for`/`while` loop at module level (or in `def main`). */
async function carried(code: string, exclude: string[] = []): Promise<string[]> {
  const parser = await parserFor('wasm');
  const src = makeSourceText(code);
  const parsed = parser.parse(code);
  try {
    const ctx = new PlanContext(analyzeSource(parser, src, 'train.py'), src, parsed.root, {});
    const main = ctx.functionNamed('main');
    const scope = main ?? null;
    const loop = (scope ? ctx.bodyStatements(scope) : parsed.root.namedChildren).find((n) => n.type === 'for_statement' || n.type === 'while_statement')!;
    return carriedNames(ctx, loop, scope, exclude);
  } finally {
    parsed.dispose();
  }
}

describe('carriedNames', () => {
  test('nanoGPT style: the batch fetched ahead and the best loss, not the clock or what each iteration sets first', async () => {
    expect(await carried(py`
      import time
      X, Y = get_batch("train")
      t0 = time.time()
      iter_num = 0
      best_val_loss = 1e9
      running_mfu = -1.0
      while True:
          lr = get_lr(iter_num)
          if iter_num % 10 == 0:
              losses = estimate_loss()
              if losses["val"] < best_val_loss:
                  best_val_loss = losses["val"]
          for micro_step in range(4):
              logits, loss = model(X, Y)
              X, Y = get_batch("train")
              loss.backward()
          t1 = time.time()
          dt, t0 = t1 - t0, t1
          running_mfu = mfu if running_mfu == -1.0 else 0.9 * running_mfu + 0.1 * mfu
          iter_num += 1
    `, ['iter_num'])).toEqual(['best_val_loss', 'X', 'Y', 'running_mfu']);
  });

  test('an epoch loop: a global step and a best accuracy carried, a per-epoch total reset first', async () => {
    expect(await carried(py`
      def main():
          global_step = 0
          best_acc = 0.0
          total = 0.0
          for epoch in range(3):
              total = 0.0
              for x, y in loader:
                  loss = step(x, y)
                  total += loss
                  global_step += 1
              acc = evaluate()
              best_acc = max(acc, best_acc)
              history = [h for h in range(epoch)]
    `)).toEqual(['global_step', 'best_acc']);
  });

  test('names bound only inside the loop or in one branch before it, loop targets and objects never rebound are not carried', async () => {
    expect(await carried(py`
      model = Net()
      epoch = 0
      if resume:
          best = 1.0
      for epoch in range(3):
          best = min(best, epoch)
          with torch.no_grad() as ctx:
              out = model(x)
          hidden = out.detach()
          model.train()
    `)).toEqual([]);
  });
});
