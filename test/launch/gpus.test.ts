import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseGpus, freeGpus, parseNvidiaSmi } from '../../src/launch/gpus.js';
import { REPO_ROOT } from '../support/cli.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'launch', 'fixtures', name), 'utf8');

describe('nvidia-smi CSV and GPU choice', () => {
  test('one idle GPU', () => {
    expect(parseNvidiaSmi(fixture('nvidia-smi-1gpu.csv'))).toEqual([{ index: 0, name: 'NVIDIA GeForce RTX 3090', memoryUsed: 312, memoryTotal: 24576, utilization: 0 }]);
    expect(chooseGpus('auto', fixture('nvidia-smi-1gpu.csv'))).toEqual([{ visibleDevices: '0', gpus: [0], note: 'free GPU 0 of 1' }]);
  });

  test('two GPUs, one busy with another process: picks GPU 1; a trailing blank line is ignored', () => {
    const gpus = parseNvidiaSmi(fixture('nvidia-smi-2gpu-busy.csv'));
    expect(gpus).toHaveLength(2);
    expect(freeGpus(gpus).map((g) => g.index)).toEqual([1]);
    expect(chooseGpus('auto', fixture('nvidia-smi-2gpu-busy.csv'))[0].visibleDevices).toBe('1');
  });

  test('eight GPUs with busy ones, [N/A] fields and a blank line', () => {
    const gpus = parseNvidiaSmi(fixture('nvidia-smi-8gpu.csv'));
    expect(gpus).toHaveLength(8);
    expect(gpus[6]).toEqual({ index: 6, name: 'NVIDIA H100 80GB HBM3', memoryUsed: null, memoryTotal: null, utilization: null });
    // 0,1: full; 3: 1.5 GiB held; 4: 45% busy; 6: unknown (counted free); 7: utilization unknown, memory idle.
    expect(freeGpus(gpus).map((g) => g.index)).toEqual([2, 5, 6, 7]);
    const three = chooseGpus('auto', fixture('nvidia-smi-8gpu.csv'), 3);
    expect(three.map((c) => c.visibleDevices)).toEqual(['2', '5', '6']);
    expect(chooseGpus('auto', fixture('nvidia-smi-8gpu.csv'), 1, 2)[0].visibleDevices).toBe('2,5');
    // More runs than free GPUs: they share, and say so.
    const six = chooseGpus('auto', fixture('nvidia-smi-8gpu.csv'), 6);
    expect(six.map((c) => c.visibleDevices)).toEqual(['2', '5', '6', '7', '2', '5']);
    expect(six[0].note).toContain('4 free GPUs shared by 6 runs');
  });

  test('all busy: a clear error with the fix; no nvidia-smi: CPU; none and explicit lists', () => {
    const busy = '0, A100, 39000, 40960, 100\n1, A100, 39000, 40960, 88\n';
    expect(() => chooseGpus('auto', busy)).toThrow(/no free GPU: all 2 are busy/);
    expect(chooseGpus('auto', null)).toEqual([{ visibleDevices: null, gpus: [], note: 'nvidia-smi not found: runs on CPU' }]);
    expect(chooseGpus('auto', '\n\n')[0].visibleDevices).toBeNull();
    expect(chooseGpus('none', null)[0].visibleDevices).toBe('');
    expect(chooseGpus('0,3', null, 2).map((c) => c.visibleDevices)).toEqual(['0,3', '0,3']);
    expect(() => chooseGpus('0;1', null)).toThrow(/invalid --gpus/);
  });

  test('garbage lines are skipped', () => {
    expect(parseNvidiaSmi('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n')).toEqual([]);
  });
});
