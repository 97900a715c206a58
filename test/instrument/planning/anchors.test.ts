/**
 * What a step marker says about the loss and the optimizer: the names the wandb log reads. A wrong
 * name crashes the user's run at its first log (`model.saved_actions.item()` on a list).
 */
import { lossNames, optimizerName } from '../../../src/instrument/planning/anchors.js';

describe('lossNames', () => {
  test.each([
    ['loss.backward()', ['loss']],
    ['scaler.scale(loss).backward()', ['loss']],
    ['accelerator.backward(loss)', ['loss']],
    ['fabric.backward(loss, retain_graph=True)', ['loss']],
    ['self.manual_backward(g_loss)', ['g_loss']],
    ['(loss_a + 0.5 * loss_b).backward()', ['loss_a', 'loss_b']],
    ['(loss / accum).backward()', ['loss']],
  ])('%s → %j', (marker, names) => {
    expect(lossNames(marker)).toEqual(names);
  });

  test.each([
    'autograd.backward(model.saved_actions, [None for _ in model.saved_actions])',
    'torch.autograd.backward(outputs, grads)',
  ])('%s: tensors and their gradients, no scalar loss to log', (marker) => {
    expect(lossNames(marker)).toEqual([]);
  });
});

describe('optimizerName', () => {
  test.each([
    ['optimizer.step()', 'optimizer'],
    ['scaler.step(opt)', 'opt'],
    ['self.optimizer.step()', 'self.optimizer'],
    ['state = state.apply_gradients(grads=grads)', 'state'],
  ])('%s → %s', (marker, name) => {
    expect(optimizerName(marker)).toBe(name);
  });
});
