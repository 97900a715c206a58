/**
 * Where the wandb and seed patches place code in hand-written loops, on the styles real scripts
 * use (issue 8, section 1). Each fixture is instrumented and run for real with Debian's python3
 * and the recording wandb stand-in, so a name read before it is bound fails the test.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { describeWith, pythonHas } from '../support/components.js';
import { fixture, instrumentText, readWandbLog, runDir, runPython as runScript, styleInput, writeInstrumented, type WandbCall } from '../support/instrument.js';

/** The script's own output, without expkit's notes (a fresh start setting a checkpoint aside). */
const withoutExpkitLines = (out: string) => out.split('\n').filter((l) => !l.startsWith('expkit: ')).join('\n');

/** Runs compare fresh starts: a rerun in the same folder would resume the first run's checkpoint. */
const runPython = (dir: string, script: string, args: string[], env: Record<string, string> = {}) => runScript(dir, script, args, { EXPKIT_RESUME: '0', ...env });

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
    const { path, text } = await writeInstrumented(dir, 'ddp_spawn.py', styleInput('ddp_spawn'), { wandb: {}, checkpoint: CHECKPOINT });
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

  test('configuration parsed in the __main__ body: init and seeding after the parse, inside the guard', async () => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'main_guard_body.py', styleInput('main_guard_body'), ALL);
    const at = (line: string) => text.indexOf(line);
    expect(at('    args = parser.parse_args()')).toBeLessThan(at('    _expkit_seed_everything(args.seed)  # expkit'));
    expect(at('    _expkit_seed_everything(args.seed)  # expkit')).toBeLessThan(at('    model = nn.Sequential('));
    expect(at('    args = parser.parse_args()')).toBeLessThan(at('    wandb.init('));
    const r = await runPython(dir, path, []);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const calls = wandbCalls(dir);
    expect(calls[0]).toMatchObject({ call: 'init', config: { epochs: 3, lr: 0.01, hidden: 16, batch_size: 32, seed: 5 } });
    const logs = expectOneRun(calls);
    expect(logs.filter((l) => 'train/loss' in l.data!)).toHaveLength(3 * 8);
    expect(logs.filter((l) => 'eval/val_loss' in l.data!)).toHaveLength(3);
    // Seeded before the data and the model: the same run twice prints the same losses.
    const again = await runPython(dir, path, []);
    expect(withoutExpkitLines(again.stdout)).toBe(withoutExpkitLines(r.stdout));
  });

  test('arguments completed after parsing (a drawn seed, the device): the config snapshot has them', async () => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'derived_args.py', styleInput('derived_args'), { wandb: {}, checkpoint: CHECKPOINT });
    expect(text.indexOf('    args.device = ')).toBeLessThan(text.indexOf('    wandb.init('));
    const r = await runPython(dir, path, ['--seed', '11']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const calls = wandbCalls(dir);
    expect(calls[0]).toMatchObject({ call: 'init', config: { epochs: 2, lr: 0.1, seed: 11, device: 'cpu' } });
    expect(expectOneRun(calls)).toHaveLength(2 * 8);
    // Without --seed the script draws one: the snapshot holds the number it trains with.
    const drawn = runDir();
    const script = await writeInstrumented(drawn, 'derived_args.py', styleInput('derived_args'), { wandb: {} });
    const d = await runPython(drawn, script.path, []);
    expect(d.exitCode).toBe(0);
    const seed = Number(/seed (\d+) device/.exec(d.stdout)![1]);
    expect(wandbCalls(drawn)[0]!.config).toMatchObject({ seed, device: 'cpu' });
  });

  /** Start the script, wait for its first epoch line, send `signal`, and wait for the end. */
  async function interrupted(dir: string, path: string, signal: NodeJS.Signals) {
    const child = runPython(dir, path, ['--epochs', '1000', '--sleep', '0.2']);
    let seen = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('| end of epoch')) resolve();
      });
      void child.then(() => resolve());
    });
    child.kill(signal);
    return child;
  }

  test.each([
    ['SIGINT', 0],
    ['SIGTERM', 143],
  ] as const)('module-level loop in try/except KeyboardInterrupt, then a logged test evaluation: %s mid-run still finishes the run last', async (signal, code) => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'word_lm_interrupt.py', styleInput('word_lm_interrupt'), { wandb: {} });
    expect(marked(text)).toContain('_expkit_finish_wandb_at_exit()  # expkit');
    // The finish lives in that helper only: none after the loop, inside the try.
    expect(text.match(/wandb\.finish\(\)/g)).toHaveLength(1);
    const r = await interrupted(dir, path, signal);
    expect(r.exitCode).toBe(code);
    const logs = expectOneRun(wandbCalls(dir));
    expect(logs.filter((l) => 'eval/val_loss' in l.data!).length).toBeGreaterThan(0);
    const testLogs = logs.filter((l) => 'eval/test_loss' in l.data!);
    if (signal === 'SIGINT') {
      // The script catches Ctrl-C, evaluates on the test set and logs it: before the finish.
      expect(r.stdout).toContain('Exiting from training early');
      expect(testLogs).toHaveLength(1);
      expect(logs[logs.length - 1]).toBe(testLogs[0]);
    } else expect(testLogs).toHaveLength(0);
  });

  test('module-level loop in try/except KeyboardInterrupt: an uninterrupted run logs the test evaluation, then finishes', async () => {
    const dir = runDir();
    const { path } = await writeInstrumented(dir, 'word_lm_interrupt.py', styleInput('word_lm_interrupt'), { wandb: {} });
    const r = await runPython(dir, path, []);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const logs = expectOneRun(wandbCalls(dir));
    expect(logs.filter((l) => 'train/loss' in l.data!)).toHaveLength(3 * 192);
    expect(Object.keys(logs[logs.length - 1]!.data!)).toEqual(['eval/test_loss']);
  });

  test('L-BFGS: the loss exists only in the closure; the log reads the value optimizer.step(closure) returns', async () => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'lbfgs_closure.py', styleInput('lbfgs_closure'), ALL);
    expect(marked(text)).toContain('        _expkit_loss = optimizer.step(closure)  # expkit');
    const r = await runPython(dir, path, []);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const logs = expectOneRun(wandbCalls(dir));
    expect(logs).toHaveLength(5);
    const losses = logs.map((l) => l.data!['train/loss']!);
    for (const l of logs) expect(Object.keys(l.data!)).toEqual(['train/loss', 'train/lr']);
    // The training loss L-BFGS reports falls as it fits the sine.
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  });

  test.each([[[]], [['--manual-update']]])('the optimizer steps in one branch only: both paths log (%j)', async (args) => {
    const dir = runDir();
    const { path } = await writeInstrumented(dir, 'manual_or_optim.py', styleInput('manual_or_optim'), { wandb: {} });
    const r = await runPython(dir, path, args);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const logs = expectOneRun(wandbCalls(dir));
    expect(logs).toHaveLength(3 * 10);
    // The last log of each epoch holds the loss the epoch line prints.
    const printed = r.stdout.split('\n').filter((l) => l.startsWith('epoch ')).map((l) => Number(l.split(' ')[3]));
    expect(printed).toHaveLength(3);
    printed.forEach((p, e) => expect(logs[e * 10 + 9]!.data!['train/loss']).toBeCloseTo(p, 5));
  });

  test('GAN: every loss back-propagated and each optimizer\'s rate, once per iteration after the last step', async () => {
    const dir = runDir();
    const { path } = await writeInstrumented(dir, 'gan_toy.py', styleInput('gan_toy'), ALL);
    const r = await runPython(dir, path, []);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const logs = expectOneRun(wandbCalls(dir));
    expect(logs).toHaveLength(2 * 8);
    for (const l of logs) {
      expect(Object.keys(l.data!)).toEqual(['train/errD_real', 'train/errD_fake', 'train/errG', 'train/lr_optimizerD', 'train/lr_optimizerG']);
      expect(l.data!['train/lr_optimizerD']).toBeCloseTo(0.0002);
      expect(l.data!['train/lr_optimizerG']).toBeCloseTo(0.0004);
    }
    // The printed Loss_D is errD_real + errD_fake and Loss_G is errG of the same iteration.
    const first = /Loss_D: ([\d.]+) Loss_G: ([\d.]+)/.exec(r.stdout)!;
    expect(logs[0]!.data!['train/errD_real']! + logs[0]!.data!['train/errD_fake']!).toBeCloseTo(Number(first[1]), 3);
    expect(logs[0]!.data!['train/errG']).toBeCloseTo(Number(first[2]), 3);
  });

  test('multi-task: each task loss under its own name (also inside a weighted backward), one learning rate', async () => {
    const dir = runDir();
    const { path } = await writeInstrumented(dir, 'multitask.py', styleInput('multitask'), ALL);
    const r = await runPython(dir, path, []);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const logs = expectOneRun(wandbCalls(dir));
    expect(logs).toHaveLength(2 * 6);
    for (const l of logs) expect(Object.keys(l.data!)).toEqual(['train/cls_loss', 'train/reg_loss', 'train/lr']);
    const epochs = [...r.stdout.matchAll(/cls ([\d.]+) reg ([\d.]+)/g)];
    epochs.forEach((m, e) => {
      expect(logs[e * 6 + 5]!.data!['train/cls_loss']).toBeCloseTo(Number(m[1]), 3);
      expect(logs[e * 6 + 5]!.data!['train/reg_loss']).toBeCloseTo(Number(m[2]), 3);
    });
  });

  test('a seed argument defaulting to None (drawn at random when not given) is not "already seeded": --seed makes N its default', async () => {
    const dir = runDir();
    const { path, text, plan } = await writeInstrumented(dir, 'derived_args.py', styleInput('derived_args'), ALL);
    expect(marked(text)).toContain('    parser.add_argument("--seed", type=int, default=5, help="random seed (random if not given)")  # expkit');
    // The value and the line's marker are both seed edits.
    const line = styleInput('derived_args').split('\n').findIndex((l) => l.includes('"--seed"')) + 1;
    expect(new Set(plan.edits.filter((e) => e.line === line).map((e) => e.kind))).toEqual(new Set(['seed']));
    const [a, b] = await Promise.all([runPython(dir, path, []), runPython(dir, path, [])]);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toContain('seed 5 device cpu');
    expect(withoutExpkitLines(b.stdout)).toBe(withoutExpkitLines(a.stdout));
    const other = await runPython(dir, path, ['--seed', '9']);
    expect(other.stdout).toContain('seed 9 device cpu');
    expect(wandbCalls(dir).filter((c) => c.call === 'init').map((c) => c.config!.seed)).toEqual(expect.arrayContaining([5, 9]));
  });

  test('single-process DataParallel (import torch.nn.parallel) is not distributed: no rank guard', async () => {
    const dir = runDir();
    const { path, text } = await writeInstrumented(dir, 'data_parallel.py', styleInput('data_parallel'), ALL);
    expect(text).not.toMatch(/RANK|is_main_process|== 0:/);
    expect(marked(text)).toContain('    wandb.init(project="expkit", config=vars(args), id=_expkit_checkpoint_run_id(_expkit_checkpoint_file("ckpt", "data_parallel", vars(args))), resume="allow")  # expkit');
    const r = await runPython(dir, path, [], { RANK: '1' });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    // Even with RANK set by an outer launcher, this one process logs.
    expect(expectOneRun(wandbCalls(dir))).toHaveLength(2 * 8);
  });
});

describe('edit kinds', () => {
  test('seeding and wandb.init inserted at the same place stay two edits, each of its own kind (plan and --json)', async () => {
    const { plan } = await instrumentText(styleInput('main_guard_body'), { wandb: {}, seed: SEED }, 'main_guard_body.py');
    const seeding = plan.edits.filter((e) => e.text.includes('_expkit_seed_everything(args.seed)'));
    const init = plan.edits.filter((e) => e.text.includes('wandb.init('));
    expect(seeding.map((e) => e.kind)).toEqual(['seed']);
    expect(init.map((e) => e.kind)).toEqual(['wandb']);
    expect(seeding[0]!.start).toBe(init[0]!.start);
    for (const e of plan.edits) {
      if (/wandb\./.test(e.text) && !e.text.includes('def _expkit_')) expect(e.kind).toBe('wandb');
      if (/_expkit_seed_everything\(|"--seed"/.test(e.text)) expect(e.kind).toBe('seed');
    }

    const dir = runDir();
    writeFileSync(join(dir, 'main_guard_body.py'), styleInput('main_guard_body'));
    const r = await runCli(['instrument', 'main_guard_body.py', '--seed', '--wandb', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const edits = (JSON.parse(r.stdout) as { edits: { kind: string; reason: string }[] }).edits;
    expect(edits.find((e) => e.reason.startsWith('seed everything'))?.kind).toBe('seed');
    expect(edits.find((e) => e.reason.startsWith('wandb.init'))?.kind).toBe('wandb');
  });
});
