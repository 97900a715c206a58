/**
 * Where the wandb and seed patches place code in hand-written loops, on the styles real scripts
 * use (issue 8, section 1). Each fixture is instrumented and run for real with Debian's python3
 * and the recording wandb stand-in, so a name read before it is bound fails the test.
 */
import { join } from 'node:path';
import { describeWith, pythonHas } from '../support/components.js';
import { fixture, readWandbLog, runDir, runPython, writeInstrumented, type WandbCall } from '../support/instrument.js';

const SEED = { value: 5, deterministic: false };
const CHECKPOINT = { every: 1, dir: 'ckpt' };
const ALL = { wandb: {}, seed: SEED, checkpoint: CHECKPOINT };

function port(): string {
  return String(20000 + Math.floor(Math.random() * 20000));
}

function wandbCalls(dir: string): WandbCall[] {
  return readWandbLog(join(dir, 'wandb.jsonl'));
}

/** The lines the patch added or changed (marked). */
function marked(text: string): string[] {
  return text.split('\n').filter((l) => l.includes('# expkit'));
}

/** init first, finish last, each once; the logs in between. */
function expectOneRun(calls: WandbCall[]): WandbCall[] {
  const names = calls.map((c) => c.call);
  expect(names[0]).toBe('init');
  expect(names[names.length - 1]).toBe('finish');
  expect(names.filter((c) => c !== 'log')).toEqual(['init', 'finish']);
  return calls.filter((c) => c.call === 'log');
}

describeWith('python3-torch on /usr/bin/python3', pythonHas('torch'))('placement in hand-written loops', () => {
  test('rank= in init_process_group is no rank variable: the index mp.spawn passes guards rank 0', async () => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'ddp_spawn.py', fixture('ddp_spawn.py'), { wandb: {}, checkpoint: CHECKPOINT });
    expect(text).not.toMatch(/\brank == 0/);
    expect(marked(text)).toContain('    if gpu == 0:  # expkit');
    const r = await runPython(dir, path, ['--dist-url', `tcp://127.0.0.1:${port()}`]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const calls = wandbCalls(dir);
    // One process (the spawned rank 0) runs wandb: 2 epochs of 128 samples in batches of 32.
    expect(new Set(calls.map((c) => c.pid)).size).toBe(1);
    const logs = expectOneRun(calls);
    expect(logs).toHaveLength(2 * 4);
    for (const l of logs) expect(Object.keys(l.data!)).toEqual(['train/loss', 'train/lr']);
  });
});
