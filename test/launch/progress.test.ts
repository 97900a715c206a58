import { etaSeconds, latestProgress, type ProgressNumbers } from '../../src/launch/progress.js';

const none = { epoch: null, epochTotal: null, step: null, stepTotal: null, loss: null, metrics: {} };
const expected = (n: Partial<ProgressNumbers>): ProgressNumbers => ({ ...none, ...n });

// Lines as the tools print them (tqdm 4.66, transformers 4.4x Trainer, Lightning 2.x, Keras 2 and 3).
const CASES: [string, string, ProgressNumbers, number | null][] = [
  ['plain print', 'epoch 3/10 loss 0.52 acc 0.81\n', expected({ epoch: 3, epochTotal: 10, loss: 0.52, metrics: { loss: 0.52, acc: 0.81 } }), null],
  ['plain print with colons', 'start seed=0\nepoch 2/3 loss: 0.5000\nwarn 2\n', expected({ epoch: 2, epochTotal: 3, loss: 0.5, metrics: { loss: 0.5 } }), null],
  ['PyTorch tutorial format', 'Epoch [3/10], Step [100/600], Loss: 0.2345\n', expected({ epoch: 3, epochTotal: 10, step: 100, stepTotal: 600, loss: 0.2345, metrics: { Loss: 0.2345 } }), null],
  ['steps with bars between', 'step 500/1000 | loss 2.31 | lr 3e-4 | took 5.2\n', expected({ step: 500, stepTotal: 1000, loss: 2.31, metrics: { loss: 2.31, lr: 0.0003 } }), null],
  ['tqdm with postfix', 'train:  30%|███       | 30/100 [00:10<00:23,  3.00it/s, loss=0.521, acc=0.7]', expected({ step: 30, stepTotal: 100, loss: 0.521, metrics: { loss: 0.521, acc: 0.7 } }), 23],
  ['tqdm, hours left', ' 10%|█         | 100/1000 [10:00<1:30:05,  6.00s/it]', expected({ step: 100, stepTotal: 1000 }), 5405],
  [
    'HF Trainer: the dict, then the bar updating with \\r',
    "{'loss': 0.9123, 'grad_norm': 1.234, 'learning_rate': 4.5e-05, 'epoch': 0.5}\n 30%|███       | 30/100 [00:10<00:23,  3.00it/s]\r 31%|███       | 31/100 [00:10<00:22,  3.01it/s]",
    expected({ epoch: 0.5, step: 31, stepTotal: 100, loss: 0.9123, metrics: { loss: 0.9123, grad_norm: 1.234, learning_rate: 4.5e-5 } }),
    22,
  ],
  ['HF Trainer eval dict', "{'eval_loss': 0.41, 'eval_accuracy': 0.88, 'eval_runtime': 1.2, 'epoch': 2.0}\n", expected({ epoch: 2, loss: 0.41, metrics: { eval_loss: 0.41, eval_accuracy: 0.88, eval_runtime: 1.2 } }), null],
  [
    'Lightning: the bar times one epoch only',
    'Epoch 2: 100%|██████████| 32/32 [00:00<00:00, 120.50it/s, v_num=0, train_loss=0.123, val_acc=0.900]',
    expected({ epoch: 2, step: 32, stepTotal: 32, loss: 0.123, metrics: { train_loss: 0.123, val_acc: 0.9 } }),
    null,
  ],
  [
    'Keras 3: the step line under its epoch line',
    'Epoch 3/10\n\r 8/32 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - accuracy: 0.8125 - loss: 0.5234',
    expected({ epoch: 3, epochTotal: 10, step: 8, stepTotal: 32, loss: 0.5234, metrics: { accuracy: 0.8125, loss: 0.5234 } }),
    null,
  ],
  [
    'Keras 2',
    'Epoch 1/5\n16/32 [==============>...............] - ETA: 0s - loss: 0.6931 - accuracy: 0.5000',
    expected({ epoch: 1, epochTotal: 5, step: 16, stepTotal: 32, loss: 0.6931, metrics: { loss: 0.6931, accuracy: 0.5 } }),
    null,
  ],
  // Captured from real runs in the framework venv (transformers 5, Lightning 2 with rich, Keras 3 on torch).
  [
    'transformers 5: dict values as strings; its evaluation bar is nested (cursor up) and a described bar is other work',
    " 50%|█████     | 13/26 [00:00<00:00, 126.21it/s]\n{'loss': '1.383', 'grad_norm': '0.3346', 'learning_rate': '0.0005603', 'epoch': '1'}\n" +
      '  0%|          | 0/4 [00:00<?, ?it/s]\x1b[A\n100%|██████████| 4/4 [00:00<00:00, 540.59it/s]\x1b[A\nWriting model shards: 100%|██████████| 1/1 [00:00<00:00, 584.90it/s]\n',
    expected({ epoch: 1, step: 13, stepTotal: 26, loss: 1.383, metrics: { loss: 1.383, grad_norm: 0.3346, learning_rate: 0.0005603 } }),
    0,
  ],
  [
    'Lightning rich bar: epochs counted from 0 (1/4 is the second of five)',
    'Epoch 1/4  ━━━━━━━━━━━━━━━━ 7/13 0:00:00 • 0:00:01 582.36it/s train_loss_step: 1.041',
    expected({ epoch: 2, epochTotal: 5, step: 7, stepTotal: 13, loss: 1.041, metrics: { train_loss_step: 1.041 } }),
    null,
  ],
  [
    'Keras 3 with its colours',
    'Epoch 3/3\n\x1b[1m 1/13\x1b[0m \x1b[32m━\x1b[0m\x1b[37m━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 3ms/step - accuracy: 0.5625 - loss: 0.6299',
    expected({ epoch: 3, epochTotal: 3, step: 1, stepTotal: 13, loss: 0.6299, metrics: { accuracy: 0.5625, loss: 0.6299 } }),
    null,
  ],
];

describe('latestProgress: real formats', () => {
  test.each(CASES)('%s', (_name, log, numbers, remaining) => {
    const p = latestProgress(log);
    expect(p?.numbers).toEqual(numbers);
    expect(p?.remaining).toBe(remaining);
  });

  test('no progress: no counter and no loss', () => {
    expect(latestProgress('hello\nstart seed=0\nUsing 4 GPUs\n')).toBeNull();
    expect(latestProgress('')).toBeNull();
  });

  test('the latest line wins', () => {
    expect(latestProgress('epoch 1/3 loss: 1.0\nepoch 2/3 loss: 0.5\n')?.numbers).toEqual(expected({ epoch: 2, epochTotal: 3, loss: 0.5, metrics: { loss: 0.5 } }));
  });
});

describe('etaSeconds', () => {
  test('from the bar when it times the whole run', () => {
    expect(etaSeconds(latestProgress(CASES[4][1])!, 1000)).toBe(23);
  });
  test('from the fraction done since the start, at the same rate', () => {
    expect(etaSeconds(latestProgress('epoch 3/10 loss 0.5\n')!, 30)).toBe(70);
    expect(etaSeconds(latestProgress('step 500/1000 loss 2\n')!, 40)).toBe(40);
    // Keras: epoch 3 of 10 has begun and is a quarter done: 2.25 of 10 epochs in 45 s.
    expect(etaSeconds(latestProgress(CASES[9][1])!, 45)).toBe(155);
  });
  test('unknown without a total, a start time, or any progress yet', () => {
    expect(etaSeconds(latestProgress(CASES[8][1])!, 30)).toBeNull();
    expect(etaSeconds(latestProgress('epoch 3/10 loss 0.5\n')!, null)).toBeNull();
    expect(etaSeconds(latestProgress('epoch 0/10 loss 0.5\n')!, 30)).toBeNull();
  });
});
