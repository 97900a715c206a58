import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from '../support/components.js';
import { useProject } from '../support/runs.js';

/** Prints the lines given as arguments (a bar rewritten with \r as tqdm does), then waits for `go`. */
const PRINTER = `import os, sys, time
for line in sys.argv[1:]:
    sys.stdout.write(line)
    sys.stdout.flush()
open("printed", "w").close()
while not os.path.exists("go"):
    time.sleep(0.02)
`;

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error('the script did not answer');
}

describe('expkit status --json: progress as numbers, and eta', () => {
  const p = useProject();

  test('an HF Trainer-like log: the bar counts steps and says the time left; the dict gives the loss', async () => {
    writeFileSync(join(p.dir, 'printer.py'), PRINTER);
    const lines = ["{'loss': 0.9123, 'learning_rate': 4.5e-05, 'epoch': 0.5}\n", ' 30%|███       | 30/100 [00:10<00:23,  3.00it/s]', '\r 31%|███       | 31/100 [00:10<00:42,  3.01it/s]'];
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'hf', '--', SYSTEM_PYTHON, 'printer.py', ...lines])).exitCode).toBe(0);
    await until(() => existsSync(join(p.dir, 'printed')));
    const running = await p.json(['status', 'hf']);
    expect(running).toMatchObject({
      state: 'running',
      progress: '31%|███       | 31/100 [00:10<00:42,  3.01it/s]',
      progressNumbers: { epoch: 0.5, epochTotal: null, step: 31, stepTotal: 100, loss: 0.9123, metrics: { loss: 0.9123, learning_rate: 4.5e-5 } },
      eta: 42,
    });
    expect((await p.cli(['status', 'hf'])).stdout).toMatch(/^eta: +42s$/m);
    writeFileSync(join(p.dir, 'go'), '');
    expect((await p.cli(['wait', 'hf', '--timeout', '30'])).exitCode).toBe(0);
    // Ended: the numbers stay, nothing is left to wait for.
    expect(await p.json(['status', 'hf'])).toMatchObject({ state: 'succeeded', progressNumbers: { step: 31 }, eta: null });
  });

  test('a run with no progress lines: null for both', async () => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'quiet', '--', 'echo', 'hello'])).exitCode).toBe(0);
    expect((await p.cli(['wait', 'quiet', '--timeout', '30'])).exitCode).toBe(0);
    expect(await p.json(['status', 'quiet'])).toMatchObject({ progress: null, progressNumbers: null, eta: null });
  });
});
