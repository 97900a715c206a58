import { execFileSync } from 'node:child_process';
import { detectAnomalies } from '../../src/launch/anomalies.js';
import { isNonFiniteLossLine, NON_FINITE_LOSS_ERE } from '../../src/launch/non-finite-loss.js';

/** Lines as frameworks and people print them (sources: HF Trainer, Lightning/tqdm, Keras 2/3, numpy, torch, JAX). */
const DIVERGED = [
  'epoch 1 loss nan',
  'train_loss nan',
  'step 10 | loss nan',
  'Loss: tensor(nan, device=\'cuda:0\', grad_fn=<NllLossBackward0>)',
  'loss tensor([nan])',
  'val_loss=inf',
  'epoch 2 loss=nan',
  'step 3 | train_loss: -inf',
  'loss: -Infinity',
  'loss = NaN',
  'loss: nan.',
  'train loss: array(nan, dtype=float32)',
  'loss np.float32(nan)',
  'loss: Array(nan, dtype=float32)',
  // Python's print of a float, of a numpy array, and of an f-string with a format.
  'loss: nan',
  'loss: [nan]',
  'loss 1 loss: inf',
  // HF Trainer's log line and its final summary.
  "{'loss': nan, 'grad_norm': nan, 'learning_rate': 4.9e-05, 'epoch': 0.5}",
  "{'eval_loss': nan, 'eval_runtime': 0.1, 'epoch': 1.0}",
  "{'train_runtime': 3.2, 'train_samples_per_second': 10.0, 'train_loss': nan, 'epoch': 1.0}",
  '{"loss": NaN, "step": 3}',
  // Lightning's progress bar (tqdm postfix) and its step/epoch keys.
  'Epoch 0:  22%|██▏       | 4/18 [00:17<01:02,  4.47s/it, loss=nan, v_num=193315]',
  'Epoch 1: 100%|██████████| 8/8 [00:00<00:00, 80.00it/s, v_num=0, train_loss_step=nan, train_loss_epoch=nan]',
  // tqdm set_postfix.
  '100%|██████████| 10/10 [00:01<00:00,  9.1it/s, loss=inf]',
  // Keras 2 and Keras 3 progress lines; TerminateOnNaN.
  '  2/100 [..............................] - ETA: 20:11 - loss: nan - mse: nan',
  '1/1 ━━━━━━━━━━━━━━━━━━━━ 0s 300ms/step - accuracy: 0.1000 - loss: nan',
  'Batch 3: Invalid loss, terminating training',
  // mmdet, rlpyt tables.
  '2025-04-18 - mmdet - INFO - Iter [10100/316440]\tlr: 3.990e-04, frame_0_enc_loss_cls: nan, loss: nan, grad_norm: nan',
  'lossAverage               nan',
  // The scaffold's own epoch line.
  'epoch 1/3 train_loss nan loss nan accuracy 0.1000',
  'epoch 1/3 train_loss 0.6931 val_loss inf val_accuracy 0.5000',
];

const FINITE = [
  'nan_count=0',
  'loss: 0.5 (nanoGPT)',
  'loss: 0.5 nan_count 0',
  'training nanoGPT: loss 3.2',
  "{'loss': 0.0, 'grad_norm': nan, 'learning_rate': 0.00012, 'epoch': 0.0}",
  'iteration 5426/250000 | learning rate: 2.999E-04 | loss scale: 1.0 | grad norm: nan | number of nan iterations: 0 |',
  'val acc: nan',
  'loss: information follows',
  'loss_nan_count: 0',
  'loss: 6.5993 (nan)',
  'loss: 0.52',
  'loss: 1e-3 inference done',
  'infinite_loss_guard: on',
  'nanloss 0.1',
];

describe('non-finite loss lines', () => {
  test.each(DIVERGED)('diverged: %s', (line) => {
    expect(isNonFiniteLossLine(line)).toBe(true);
    expect(detectAnomalies(`${line}\n`).map((a) => a.kind)).toEqual(['nan-loss']);
  });

  test.each(FINITE)('not a non-finite loss: %s', (line) => {
    expect(isNonFiniteLossLine(line)).toBe(false);
  });

  test('grep -E -i (what the wrapper watches with) agrees with JavaScript on every case', () => {
    const input = [...DIVERGED, ...FINITE].join('\n') + '\n';
    let out = '';
    try {
      out = execFileSync('grep', ['-E', '-i', '-e', NON_FINITE_LOSS_ERE], { input, encoding: 'utf8' });
    } catch (err) {
      out = (err as { stdout: string }).stdout;
    }
    expect(out.split('\n').filter(Boolean)).toEqual(DIVERGED);
  });
});

describe('exit code 137', () => {
  test('a SIGKILL with a silent log is a killed anomaly with the OOM-killer suggestion', () => {
    const found = detectAnomalies('epoch 1/3 train_loss 0.6\nepoch 2/3 train_loss 0.5\n', 137);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'killed', line: 2, text: 'exit code 137: killed by SIGKILL' });
    expect(found[0].suggestion).toMatch(/OOM killer/);
  });

  test('the log\'s own "Killed" line is not doubled; other exit codes add nothing', () => {
    expect(detectAnomalies('Killed\n', 137).map((a) => a.kind)).toEqual(['killed']);
    expect(detectAnomalies('fine\n', 1)).toEqual([]);
    expect(detectAnomalies('fine\n', 0)).toEqual([]);
  });
});
