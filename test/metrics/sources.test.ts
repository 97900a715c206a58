import { parseMetricsJsonl } from '../../src/metrics/jsonl.js';
import { parseLogMetrics } from '../../src/metrics/log.js';
import { parseResultsJson } from '../../src/metrics/results-json.js';
import { pickMetrics } from '../../src/metrics/pick.js';

describe('metric sources', () => {
  test('metrics.jsonl: numeric fields except step/time; Python NaN, a half-written last line', () => {
    const text = '{"step": 1, "time": 1.5, "loss": 0.9, "tag": "a"}\n\n{"step": 2, "loss": NaN, "acc": 0.5, "note": "NaN inside"}\n{"step": 3, "loss": 0.4}\n{"step": 4, "lo';
    const r = parseMetricsJsonl(text);
    expect(r.series).toEqual({ loss: [0.9, 0.4], acc: [0.5] });
    expect(r.skipped).toBe(1);
  });

  test('results JSON: history then final; a smoke result is nothing', () => {
    expect(parseResultsJson(JSON.stringify({ history: [{ acc: 0.5, epoch: 1 }, { acc: 0.7, epoch: 2 }], final: { acc: 0.6 } }))).toEqual({ acc: [0.5, 0.7, 0.6], epoch: [1, 2] });
    expect(parseResultsJson(JSON.stringify({ smoke: true, final: { acc: 1 } }))).toEqual({});
    expect(parseResultsJson('not json')).toEqual({});
  });

  test('log: NAME: value, NAME=value, NAME value, printed dicts; not a longer name', () => {
    const log = ["epoch 1 val_acc: 0.5", "val_acc=0.6 loss=1e-3", "best_val_acc: 0.99", "{'val_acc': 0.7}", "val_acc 8e-1", "val_acc: nan", "val_acc.x 3"].join('\n');
    expect(parseLogMetrics(log, ['val_acc', 'loss'])).toEqual({ val_acc: [0.5, 0.6, 0.7, 0.8], loss: [0.001] });
  });

  test('the first source with data wins', () => {
    const log = 'acc: 0.1\n';
    expect(pickMetrics({ jsonl: '{"acc": 0.9}\n', results: '{"final": {"acc": 0.5}}', log }, ['acc'])).toEqual({ source: 'metrics.jsonl', series: { acc: [0.9] } });
    expect(pickMetrics({ jsonl: '{"step": 1}\n', results: '{"final": {"acc": 0.5}}', log }, ['acc'])).toEqual({ source: 'results', series: { acc: [0.5] } });
    expect(pickMetrics({ jsonl: null, results: null, log }, ['acc'])).toEqual({ source: 'log', series: { acc: [0.1] } });
    expect(pickMetrics({ jsonl: null, results: null, log }, [])).toEqual({ source: null, series: {} });
  });
});
