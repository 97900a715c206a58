/**
 * Patches stack as layers, with the real analyzer and planner on a real fixture (a copy of
 * fixtures/instrument/plain_mlp/input.py): --wandb, then --checkpoint as layer 2, then --seed as layer 3. Every
 * layer's diff is checked by git, every state compiles and runs for real (Debian's torch, the
 * recording wandb stand-in), and revert peels the layers back to byte-identical earlier states.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyBuiltPatch } from '../../src/instrument/apply.js';
import { instrumentWithPlanner, sha256 } from '../../src/instrument/engine.js';
import { revertFile } from '../../src/instrument/revert.js';
import { readRecord, resolveTarget } from '../../src/instrument/state.js';
import { fileStatus } from '../../src/instrument/status.js';
import type { InstrumentOptions } from '../../src/instrument/types.js';
import { readSourceFile } from '../../src/io/read-source.js';
import type { PythonParser } from '../../src/parser/index.js';
import { REPO_ROOT, runCli } from '../support/cli.js';
import { fixturePath } from '../support/fixtures.js';
import { describeWith, pythonHas, SYSTEM_PYTHON } from '../support/components.js';
import { readWandbLog, WANDB_STUB } from '../support/instrument.js';
import { testParser } from './engine-support.js';
import { tempDir } from '../support/temp.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await testParser();
});

const ORIGINAL = readFileSync(fixturePath('plain_mlp.py'));
const LAYERS: [string, InstrumentOptions][] = [
  ['wandb', { wandb: { project: 'moons' } }],
  ['checkpoint', { checkpoint: { every: 1, dir: 'checkpoints' } }],
  ['seed', { seed: { value: 5, deterministic: false } }],
];

/** A git repository with a copy of the fixture as train.py (never the fixture itself). */
async function project(bytes: Buffer = ORIGINAL): Promise<{ dir: string; file: string }> {
  const dir = tempDir('expkit-stack-');
  await execa('git', ['init', '-q'], { cwd: dir });
  const file = join(dir, 'train.py');
  writeFileSync(file, bytes);
  return { dir, file };
}

/** Plan and apply `options` on the file as it is now: one more layer. */
async function applyLayer(file: string, options: InstrumentOptions, now?: Date) {
  const built = await instrumentWithPlanner(readSourceFile(file), options, { parser, displayPath: 'train.py', python: SYSTEM_PYTHON });
  expect(built.plan.skipped).toEqual([]);
  return applyBuiltPatch(resolveTarget(file), built, options, now);
}

/** The three layers applied; states[k] is the file's bytes after layer k (states[0]: the original). */
async function stacked(): Promise<{ dir: string; file: string; states: Buffer[] }> {
  const p = await project();
  const states = [readFileSync(p.file)];
  for (const [i, [, options]] of LAYERS.entries()) {
    await applyLayer(p.file, options, new Date(Date.UTC(2026, 10, 22, 21, i + 1)));
    states.push(readFileSync(p.file));
  }
  return { ...p, states };
}

async function compiles(path: string): Promise<string> {
  const r = await execa(SYSTEM_PYTHON, ['-c', 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")', path], { reject: false });
  return r.exitCode === 0 ? 'ok' : r.stderr;
}

async function refusal(fn: () => unknown): Promise<{ message: string; exitCode: number }> {
  try {
    await fn();
  } catch (err) {
    return { message: (err as Error).message, exitCode: (err as { exitCode: number }).exitCode };
  }
  throw new Error('expected a refusal');
}

describe('three layers on plain_mlp.py', () => {
  test('each layer adds only its own kind, on top of the layer below: git applies its diff to the previous bytes and gets the next', async () => {
    const { file, states } = await stacked();
    const record = readRecord(resolveTarget(file))!;
    expect(record.layers.map((l) => [l.layer, l.kinds, [...new Set(l.edits.map((e) => e.kind))]])).toEqual([
      [1, ['wandb'], ['wandb']],
      [2, ['checkpoint'], ['checkpoint']],
      [3, ['seed'], ['seed']],
    ]);
    for (const layer of record.layers) {
      expect([layer.sha256Before, layer.sha256After]).toEqual([sha256(states[layer.layer - 1]!), sha256(states[layer.layer]!)]);
      const { dir: work, file: copy } = await project(states[layer.layer - 1]!);
      expect((await execa('git', ['apply', '--check', '-'], { cwd: work, input: layer.diff, reject: false })).exitCode).toBe(0);
      await execa('git', ['apply', '-'], { cwd: work, input: layer.diff });
      expect(readFileSync(copy).equals(states[layer.layer]!)).toBe(true);
      // The backup of each layer is the file just before it.
      expect(readFileSync(join(resolveTarget(file).stateDir, layer.backup)).equals(states[layer.layer - 1]!)).toBe(true);
    }
    // Layer 2 does not repeat layer 1's wandb code, layer 3 neither repeats checkpointing.
    expect(states[3]!.toString('utf8').match(/^import wandb {2}# expkit$/gm)).toHaveLength(1);
    expect(states[3]!.toString('utf8').match(/^def _expkit_save_checkpoint\(/gm)).toHaveLength(1);
    for (const [i, bytes] of states.entries()) {
      const { file: copy } = await project(bytes);
      expect([i, await compiles(copy)]).toEqual([i, 'ok']);
    }
  });

  test('nothing new to add: the planner plans nothing and no empty layer is written', async () => {
    const { file, states } = await stacked();
    const built = await instrumentWithPlanner(readSourceFile(file), { wandb: {}, seed: { value: 1, deterministic: false } }, { parser, displayPath: 'train.py', python: null });
    expect(built.diff).toBe('');
    expect(built.plan.skipped.map((s) => s.kind).sort()).toEqual(['seed', 'wandb']);
    expect(() => applyBuiltPatch(resolveTarget(file), built, {})).toThrow('applyBuiltPatch called with an empty patch');
    expect(readRecord(resolveTarget(file))!.layers).toHaveLength(3);
    expect(readFileSync(file).equals(states[3]!)).toBe(true);
  });

  test('revert peels one layer at a time, each step byte-identical to the state before that layer', async () => {
    const { file, states } = await stacked();
    const target = resolveTarget(file);
    for (const n of [3, 2, 1]) {
      const r = revertFile(target);
      expect(r.reverted.map((x) => [x.layer.layer, x.layer.kinds, x.outcome])).toEqual([[n, [LAYERS[n - 1]![0]], 'restored']]);
      expect(readFileSync(file).equals(states[n - 1]!)).toBe(true);
      expect(fileStatus(target).flatMap((s) => s.layers.map((l) => l.layer))).toEqual([1, 2].slice(0, n - 1));
    }
    expect(readRecord(target)).toBeNull();
  });

  test('revert --all: byte-identical to the original', async () => {
    const { file } = await stacked();
    const r = revertFile(resolveTarget(file), { all: true });
    expect(r.reverted.map((x) => x.outcome)).toEqual(['restored', 'restored', 'restored']);
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
  });

  test('a user edit away from every layer survives revert --all (each layer taken out of the edited file)', async () => {
    const { file } = await stacked();
    const edit = (text: string) => text.replace('+ 0.1 * torch.randn(2 * n, 2)', '+ 0.2 * torch.randn(2 * n, 2)');
    const edited = edit(readFileSync(file, 'utf8'));
    expect(edited).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, edited);
    const r = revertFile(resolveTarget(file), { all: true });
    expect(r.reverted.map((x) => x.outcome)).toEqual(['reverse-applied', 'reverse-applied', 'reverse-applied']);
    expect(readFileSync(file, 'utf8')).toBe(edit(ORIGINAL.toString('utf8')));
    expect(readRecord(resolveTarget(file))).toBeNull();
  });

  test('a user edit in a layer-1 line: layers 3 and 2 come off keeping it; layer 1 refuses (exit 3) changing nothing; --all refuses up front', async () => {
    const { dir, file, states } = await stacked();
    const target = resolveTarget(file);
    const mine = (text: string) => text.replace('wandb.log({"train/loss": loss.item(),', 'wandb.log({"train/my_loss": loss.item(),');
    const edited = mine(readFileSync(file, 'utf8'));
    expect(edited).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, edited);
    const record = readFileSync(target.recordPath);

    expect(await refusal(() => revertFile(target, { all: true }))).toEqual({
      exitCode: 3,
      message: `${file} was edited where expkit patched it (layer 1: wandb), so the patch cannot be taken out cleanly; nothing was changed`,
    });
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(readFileSync(target.recordPath).equals(record)).toBe(true);

    expect(revertFile(target).reverted.map((x) => x.outcome)).toEqual(['reverse-applied']);
    expect(revertFile(target).reverted.map((x) => x.outcome)).toEqual(['reverse-applied']);
    expect(readFileSync(file, 'utf8')).toBe(mine(states[1]!.toString('utf8')));
    const cli = await runCli(['revert', 'train.py'], { cwd: dir });
    expect(cli.exitCode).toBe(3);
    expect(cli.stderr.split('\n')[0]).toBe('expkit: train.py was edited where expkit patched it, so the patch cannot be taken out cleanly; nothing was changed');
    expect(readFileSync(file, 'utf8')).toBe(mine(states[1]!.toString('utf8')));
    expect(readRecord(target)!.layers).toHaveLength(1);
  });
});

const hasTorch = pythonHas('torch');

async function run(dir: string, args: string[]) {
  const r = await execa(SYSTEM_PYTHON, ['train.py', '--epochs', '2', ...args], {
    cwd: dir,
    reject: false,
    env: { PYTHONPATH: WANDB_STUB, WANDB_STUB_LOG: join(dir, 'wandb.jsonl'), PYTHONHASHSEED: 'random', EXPKIT_CHECKPOINT_SECONDS: '0' },
  });
  expect([r.exitCode, r.stderr]).toEqual([0, '']);
  return r;
}

describeWith('python3-torch on /usr/bin/python3', hasTorch)('every layer runs for real', () => {
  test('wandb, then + checkpoint (saves and resumes), then + seed (same seed, same losses)', async () => {
    const { states } = await stacked();

    const one = await project(states[1]!);
    await run(one.dir, []);
    const calls = readWandbLog(join(one.dir, 'wandb.jsonl'));
    expect(calls[0]).toMatchObject({ call: 'init', project: 'moons' });
    expect(calls[calls.length - 1]!.call).toBe('finish');
    expect(calls.filter((c) => c.call === 'log' && 'train/loss' in c.data!)).toHaveLength(2 * 16);

    const two = await project(states[2]!);
    await run(two.dir, []);
    // The run's own checkpoint (no seed argument yet: `none-<fingerprint>`); the same command resumes it.
    const runs = readdirSync(join(two.dir, 'checkpoints', 'train'));
    expect(runs).toEqual([expect.stringMatching(/^none-[0-9a-f]{12}$/)]);
    expect(existsSync(join(two.dir, 'checkpoints', 'train', runs[0]!, 'last.pt'))).toBe(true);
    // The run finished: the same command trains it afresh, keeping the finished checkpoint aside.
    const again = await run(two.dir, []);
    expect(again.stdout).toContain(`expkit: the run saved in checkpoints/train/${runs[0]}/last.pt had finished`);
    expect(again.stdout).toMatch(/expkit: starting fresh; the previous checkpoint is kept at /);
    // Layer 1's logging still works under layer 2.
    expect(readWandbLog(join(two.dir, 'wandb.jsonl')).filter((c) => c.call === 'init')).toHaveLength(2);

    const three = await project(states[3]!);
    const losses = async (dir: string) => {
      const log = join(dir, 'wandb.jsonl');
      writeFileSync(log, '');
      // --no-resume: the second run must train again rather than resume the finished first one.
      await run(dir, ['--seed', '11', '--no-resume']);
      return readWandbLog(log).filter((c) => c.call === 'log').map((c) => c.data);
    };
    const first = await losses(three.dir);
    expect(first.length).toBeGreaterThan(0);
    expect(await losses(three.dir)).toEqual(first);
  });
});

/**
 * A real crash: a child process applies layer 2 and kills itself (SIGKILL, so no cleanup
 * runs) right after one of the writes. Whatever point it dies at, the file before the layer
 * is kept, and expkit can tell what happened and recover.
 */
describe('a crash between the writes of a layer', () => {
  const dist = (path: string) => pathToFileURL(join(REPO_ROOT, 'dist', path)).href;

  async function crashAfter(step: string, file: string, options: InstrumentOptions): Promise<void> {
    const child = `
      const { readSourceFile } = await import(${JSON.stringify(dist('io/read-source.js'))});
      const { getPythonParser } = await import(${JSON.stringify(dist('parser/index.js'))});
      const { instrumentWithPlanner } = await import(${JSON.stringify(dist('instrument/engine.js'))});
      const { applyBuiltPatch } = await import(${JSON.stringify(dist('instrument/apply.js'))});
      const { resolveTarget } = await import(${JSON.stringify(dist('instrument/state.js'))});
      const [file, step, options] = process.argv.slice(1);
      const parser = await getPythonParser('wasm');
      const built = await instrumentWithPlanner(readSourceFile(file), JSON.parse(options), { parser, displayPath: 'train.py', python: null });
      applyBuiltPatch(resolveTarget(file), built, JSON.parse(options), new Date(), {
        afterStep: (s) => { if (s === step) process.kill(process.pid, 'SIGKILL'); },
      });
    `;
    const r = await execa(process.execPath, ['--input-type=module', '-e', child, file, step, JSON.stringify(options)], { reject: false });
    expect(r.signal).toBe('SIGKILL');
  }

  test('after the record: the file is untouched, status says interrupted; revert retires the layer, and the next apply drops it by itself', async () => {
    const { dir, file } = await project();
    await applyLayer(file, LAYERS[0]![1]);
    const layer1 = readFileSync(file);
    await crashAfter('record-written', file, LAYERS[1]![1]);
    const target = resolveTarget(file);
    expect(readFileSync(file).equals(layer1)).toBe(true);
    expect(readRecord(target)!.layers.map((l) => l.layer)).toEqual([1, 2]);
    expect(readFileSync(target.backupPath.replace(/\.orig$/, '.layer2.orig')).equals(layer1)).toBe(true);
    expect(fileStatus(target)[0]!.state).toBe('interrupted');

    const cli = await runCli(['revert', 'train.py'], { cwd: dir });
    expect([cli.exitCode, cli.stdout]).toEqual([
      0,
      'layer 2 (checkpoint) of train.py was not in the file (its apply was interrupted); its record was retired\n' +
        'train.py still carries expkit layer 1 (wandb); `expkit revert --all train.py` takes every layer out\n',
    ]);
    expect(readFileSync(file).equals(layer1)).toBe(true);

    // Killed again at the same point: the next apply is not blocked (issue 9), it takes the
    // layer that never reached the file out of the record and applies its own.
    await crashAfter('record-written', file, LAYERS[1]![1]);
    expect((await applyLayer(file, LAYERS[1]![1])).layer.layer).toBe(2);
    expect(readRecord(target)!.layers.map((l) => l.layer)).toEqual([1, 2]);
    expect(readFileSync(file).equals(layer1)).toBe(false);
    revertFile(target, { all: true });
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
  });

  test('after the backup, before the record: the file and record are untouched; the next apply removes the spare backup (it is the file itself) and applies', async () => {
    const { file } = await project();
    await applyLayer(file, LAYERS[0]![1]);
    const layer1 = readFileSync(file);
    const target = resolveTarget(file);
    const record = readFileSync(target.recordPath);
    await crashAfter('backup-written', file, LAYERS[1]![1]);
    expect(readFileSync(file).equals(layer1)).toBe(true);
    expect(readFileSync(target.recordPath).equals(record)).toBe(true);
    const spare = target.backupPath.replace(/\.orig$/, '.layer2.orig');
    expect(readFileSync(spare).equals(layer1)).toBe(true);
    expect((await applyLayer(file, LAYERS[1]![1])).layer.layer).toBe(2);
    expect(readFileSync(spare).equals(layer1)).toBe(true);
    revertFile(target, { all: true });
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
  });

  test('the first layer, after the record: revert finds the original and retires the record', async () => {
    const { file } = await project();
    await crashAfter('record-written', file, LAYERS[0]![1]);
    const target = resolveTarget(file);
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
    expect(readFileSync(target.backupPath).equals(ORIGINAL)).toBe(true);
    expect(fileStatus(target)[0]!.state).toBe('original');
    expect(revertFile(target).reverted.map((x) => x.outcome)).toEqual(['already-original']);
    expect(readRecord(target)).toBeNull();
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
  });
});
