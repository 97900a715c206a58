import { deriveRunName, taskName, timeStamp } from '../../src/launch/names.js';

describe('run names', () => {
  const t = new Date(Date.UTC(2026, 0, 5, 9, 7));
  test('the task comes from the script and naming options', () => {
    expect(deriveRunName(['python', 'train.py', '--model', 'gpt2'], t)).toBe('train-gpt2-0105-0907');
    expect(taskName(['/usr/bin/python3', '-u', 'src/fine_tune.py', '--lr', '3e-4', '--dataset=wikitext-103'])).toBe('fine-tune-wikitext-103');
    expect(taskName(['torchrun', '--nproc_per_node', '8', 'train.py', '--config', 'configs/big.yaml'])).toBe('train-big');
    expect(taskName(['bash', 'experiments/code/lr-sweep/run.sh'])).toBe('lr-sweep');
    expect(taskName(['true'])).toBe('true');
    expect(taskName(['python', '-m', 'pkg.train', '--model', 'bert'])).toBe('train-bert');
  });
  test('time stamps sort and are UTC', () => {
    expect(timeStamp(t)).toBe('0105-0907');
    expect(timeStamp(new Date(Date.UTC(2026, 11, 31, 23, 59)))).toBe('1231-2359');
  });
});
