/** Applying a built patch with backup and record, and every way of taking it out again. */
import { execa } from 'execa';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { applyBuiltPatch } from '../../src/instrument/apply.js';
import { buildPatch, sha256, type BuiltPatch } from '../../src/instrument/engine.js';
import { revertFile } from '../../src/instrument/revert.js';
import { listRecords, readRecord, resolveTarget } from '../../src/instrument/state.js';
import type { PythonParser } from '../../src/parser/index.js';
import { readSourceFile } from '../../src/io/read-source.js';
import { insertLines, planOf, script, SHAPES, testParser, threeEdits } from './engine-support.js';
import { tempDir } from '../support/temp.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await testParser();
});

const OPTIONS = { seed: { value: 42, deterministic: false } };

/** A project (a git repository unless told otherwise) with `train.py` in it. */
async function project(bytes: Buffer, git = true): Promise<{ dir: string; file: string }> {
  const dir = tempDir('expkit-apply-');
  if (git) await execa('git', ['init', '-q'], { cwd: dir });
  const file = join(dir, 'train.py');
  writeFileSync(file, bytes);
  return { dir, file };
}

function build(file: string, edits?: (src: ReturnType<typeof readSourceFile>) => ReturnType<typeof insertLines>[]): Promise<BuiltPatch> {
  const src = readSourceFile(file);
  const e = edits ? edits(src) : threeEdits(src.bytes).edits;
  return buildPatch(src, planOf(e), { parser, displayPath: 'train.py', python: null });
}

function refusal(fn: () => unknown): { message: string; exitCode: number } {
  try {
    fn();
  } catch (err) {
    return { message: (err as Error).message, exitCode: (err as { exitCode: number }).exitCode };
  }
  throw new Error('expected a refusal');
}

describe('apply then revert', () => {
  test.each(SHAPES)('%s: apply writes the patch, keeps a backup and a record; revert gives the original back byte for byte', async (_n, bytes) => {
    const { dir, file } = await project(bytes);
    chmodSync(file, 0o751);
    const built = await build(file);
    const target = resolveTarget(file);
    const now = new Date('2026-11-22T21:00:00.000Z');
    const applied = applyBuiltPatch(target, built, OPTIONS, now);
    expect(readFileSync(file).equals(built.after)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o751);
    expect(readFileSync(applied.backupPath).equals(bytes)).toBe(true);
    expect(applied.recordPath.startsWith(join(dir, '.expkit', 'patches'))).toBe(true);
    const rec = readRecord(target)!;
    expect(rec).toMatchObject({ schemaVersion: 2, file: 'train.py' });
    expect(rec.layers).toEqual([
      {
        layer: 1,
        kinds: ['seed', 'wandb', 'checkpoint'],
        options: OPTIONS,
        edits: expect.any(Array),
        appliedAt: '2026-11-22T21:00:00.000Z',
        expkitVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
        sha256Before: sha256(bytes),
        sha256After: sha256(built.after),
        diff: built.diff,
        backup: basename(applied.backupPath),
      },
    ]);
    expect(applied.backupPath).toBe(target.backupPath);
    expect(readFileSync(join(dir, '.expkit', 'patches', '.gitignore'), 'utf8')).toContain('*');

    const r = revertFile(target, { now: new Date('2026-11-22T21:05:00.000Z') });
    expect(r.reverted.map((l) => l.outcome)).toEqual(['restored']);
    expect(r).toMatchObject({ remaining: [], original: true });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o751);
    expect(readRecord(target)).toBeNull();
    expect(existsSync(applied.backupPath)).toBe(false);
    expect(readdirSync(join(dir, '.expkit', 'patches', 'history')).sort()).toEqual([
      expect.stringMatching(/^train\.py\.[0-9a-f]{8}\.20261122T210500\.000Z\.json$/),
      expect.stringMatching(/^train\.py\.[0-9a-f]{8}\.20261122T210500\.000Z\.orig$/),
    ]);
    // Instrumenting again is possible after a revert.
    applyBuiltPatch(target, await build(file), OPTIONS);
    expect(listRecords(dir)).toHaveLength(1);
  });

  test.each(SHAPES)('%s: a user edit far from the patch survives the revert', async (_n, bytes) => {
    const { file } = await project(Buffer.concat([bytes, Buffer.from(Array.from({ length: 12 }, (_, i) => `\nv${i} = ${i}`).join(''))]));
    const original = readFileSync(file);
    const built = await build(file, (src) => [insertLines(src, 1, ['import random'])]);
    const target = resolveTarget(file);
    applyBuiltPatch(target, built, OPTIONS);
    const edited = readFileSync(file, 'utf8').replace('v11 = 11', 'v11 = 1100');
    writeFileSync(file, edited);
    expect(revertFile(target).reverted[0]!.outcome).toBe('reverse-applied');
    expect(readFileSync(file, 'utf8')).toBe(original.toString('utf8').replace('v11 = 11', 'v11 = 1100'));
    expect(readRecord(target)).toBeNull();
  });

  test('an edit inside the patch is refused, changing nothing; --force restores and keeps the edited version', async () => {
    const { dir, file } = await project(script({}));
    const target = resolveTarget(file);
    applyBuiltPatch(target, await build(file), OPTIONS);
    const edited = readFileSync(file, 'utf8').replace('SEED = 42  # expkit', 'SEED = 7  # mine');
    writeFileSync(file, edited);
    const r = refusal(() => revertFile(target));
    expect(r.exitCode).toBe(3);
    expect(r.message).toBe(`${file} was edited where expkit patched it, so the patch cannot be taken out cleanly; nothing was changed`);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(readRecord(target)).not.toBeNull();

    const forced = revertFile(target, { force: true });
    expect(forced.reverted.map((l) => l.outcome)).toEqual(['forced']);
    expect(readFileSync(file).equals(script({}))).toBe(true);
    expect(forced.editedCopy!.startsWith(join(dir, '.expkit', 'patches'))).toBe(true);
    expect(readFileSync(forced.editedCopy!, 'utf8')).toBe(edited);
    expect(readRecord(target)).toBeNull();
  });

  test('a file already back to the original only retires the record', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    applyBuiltPatch(target, await build(file), OPTIONS);
    writeFileSync(file, script({}));
    expect(revertFile(target).reverted[0]!.outcome).toBe('already-original');
    expect(readRecord(target)).toBeNull();
  });

  test('outside git the project is the file\'s directory', async () => {
    const { dir, file } = await project(script({}), false);
    const target = resolveTarget(file);
    expect(target.projectRoot).toBe(realpathSync(dir));
    applyBuiltPatch(target, await build(file), OPTIONS);
    expect(listRecords(target.projectRoot).map((r) => r.record.file)).toEqual(['train.py']);
  });
});

describe('apply refuses, changing nothing', () => {
  function snapshot(dir: string, file: string) {
    return { bytes: readFileSync(file), state: existsSync(join(dir, '.expkit')) ? readdirSync(join(dir, '.expkit', 'patches')).sort() : [] };
  }

  test('when the file changed between analysis and writing', async () => {
    const { dir, file } = await project(script({}));
    const built = await build(file);
    writeFileSync(file, script({ eol: '\r\n' }));
    const before = snapshot(dir, file);
    const r = refusal(() => applyBuiltPatch(resolveTarget(file), built, OPTIONS));
    expect(r).toEqual({ exitCode: 3, message: `${file} changed since it was analysed; nothing was changed` });
    expect(readFileSync(file).equals(before.bytes)).toBe(true);
    expect(readdirSync(join(dir, '.expkit', 'patches'))).toEqual(['.gitignore']);
  });

  test('when the file changed since the newest layer: a layer stacks only on the file as expkit left it', async () => {
    const { dir, file } = await project(script({}));
    applyBuiltPatch(resolveTarget(file), await build(file), OPTIONS);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('x = 1\n')]));
    const edited = readFileSync(file);
    const before = snapshot(dir, file);
    const record = readFileSync(resolveTarget(file).recordPath);
    const built = await build(file, (src) => [insertLines(src, 1, ['import random'])]);
    const r = refusal(() => applyBuiltPatch(resolveTarget(file), built, OPTIONS));
    expect(r.exitCode).toBe(3);
    expect(r.message).toMatch(/was patched by expkit \(seed, wandb, checkpoint, applied .+\) and has changed since; nothing was changed$/);
    expect(readFileSync(file).equals(edited)).toBe(true);
    expect(snapshot(dir, file).state).toEqual(before.state);
    expect(readFileSync(resolveTarget(file).recordPath).equals(record)).toBe(true);
  });

  test('when a backup from an earlier apply is there without its record', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    mkdirSync(target.stateDir, { recursive: true });
    writeFileSync(target.backupPath, 'old backup\n');
    const built = await build(file);
    const r = refusal(() => applyBuiltPatch(target, built, OPTIONS));
    expect(r.exitCode).toBe(3);
    expect(r.message).toBe(`a backup of ${file} from an earlier apply already exists (${target.backupPath}); expkit never overwrites it`);
    expect(readFileSync(target.backupPath, 'utf8')).toBe('old backup\n');
    expect(readFileSync(file).equals(script({}))).toBe(true);
    expect(existsSync(target.recordPath)).toBe(false);
  });

  test('when the file is read-only', async () => {
    const { file } = await project(script({}));
    chmodSync(file, 0o444);
    const built = await build(file);
    const r = refusal(() => applyBuiltPatch(resolveTarget(file), built, OPTIONS));
    expect(r).toEqual({ exitCode: 3, message: `${file} is read-only (or its directory is); nothing was changed` });
    expect(readFileSync(file).equals(script({}))).toBe(true);
  });

  test('a symlink to a file outside the project; a symlink inside it patches the real file', async () => {
    const outside = await project(script({}), false);
    const { dir } = await project(script({}));
    symlinkSync(outside.file, join(dir, 'link.py'));
    const r = refusal(() => resolveTarget(join(dir, 'link.py')));
    expect(r.exitCode).toBe(3);
    expect(r.message).toMatch(/link\.py is a symlink to .*train\.py, outside the project .*; expkit patches files inside the project only$/);

    symlinkSync('train.py', join(dir, 'inner.py'));
    const target = resolveTarget(join(dir, 'inner.py'));
    applyBuiltPatch(target, await build(join(dir, 'inner.py')), OPTIONS);
    expect(lstatSync(join(dir, 'inner.py')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'train.py'), 'utf8')).toContain('# expkit');
    expect(readRecord(resolveTarget(join(dir, 'train.py')))).not.toBeNull();
  });
});

describe('revert refuses, changing nothing', () => {
  test('without a record; with a tampered backup', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    expect(refusal(() => revertFile(target))).toEqual({ exitCode: 2, message: `${file} has no expkit patch to revert (no record in ${target.stateDir})` });
    applyBuiltPatch(target, await build(file), OPTIONS);
    const patched = readFileSync(file);
    writeFileSync(target.backupPath, 'tampered\n');
    const r = refusal(() => revertFile(target));
    expect(r.exitCode).toBe(3);
    expect(r.message).toMatch(/does not match its record/);
    expect(readFileSync(file).equals(patched)).toBe(true);
  });

  test('a read-only file', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    applyBuiltPatch(target, await build(file), OPTIONS);
    const patched = readFileSync(file);
    chmodSync(file, 0o444);
    expect(refusal(() => revertFile(target))).toEqual({ exitCode: 3, message: `${file} is read-only (or its directory is); nothing was changed` });
    expect(readFileSync(file).equals(patched)).toBe(true);
    expect(readRecord(target)).not.toBeNull();
  });
});

describe('layers', () => {
  /** Three layers of hand-made edits: top of file (seed), inside the function (wandb), end of file (checkpoint). */
  function layerEdits(n: number) {
    return (src: ReturnType<typeof readSourceFile>) => {
      const indent = src.text.includes('\t') ? '\t' : '    ';
      if (n === 1) return [insertLines(src, 1, ['import random'])];
      if (n === 2) return [insertLines(src, 8, [`${indent}name = name + "!"`], 'wandb')];
      return [insertLines(src, src.lineStarts.length + 1, ['print("done")'], 'checkpoint')];
    };
  }

  /** Apply layers 1..3 and return the file's bytes before and after each one (states[0] is the original). */
  async function stackThree(file: string): Promise<Buffer[]> {
    const states = [readFileSync(file)];
    for (const n of [1, 2, 3]) {
      const applied = applyBuiltPatch(resolveTarget(file), await build(file, layerEdits(n)), OPTIONS, new Date(Date.UTC(2026, 10, 22, 21, n)));
      expect(applied.layer.layer).toBe(n);
      expect(readFileSync(applied.backupPath).equals(states[n - 1]!)).toBe(true);
      states.push(readFileSync(file));
    }
    return states;
  }

  test.each(SHAPES)('%s: each apply adds a layer with its own backup; revert peels one at a time, byte for byte', async (_n, bytes) => {
    const { dir, file } = await project(bytes);
    const target = resolveTarget(file);
    const states = await stackThree(file);
    const rec = readRecord(target)!;
    expect(rec.layers.map((l) => [l.layer, l.kinds, l.backup])).toEqual([
      [1, ['seed'], basename(target.backupPath)],
      [2, ['wandb'], basename(target.backupPath).replace(/\.orig$/, '.layer2.orig')],
      [3, ['checkpoint'], basename(target.backupPath).replace(/\.orig$/, '.layer3.orig')],
    ]);
    // Each layer's diff goes from the state below it to its own, and git agrees.
    for (const l of rec.layers) {
      expect(l.sha256Before).toBe(sha256(states[l.layer - 1]!));
      expect(l.sha256After).toBe(sha256(states[l.layer]!));
      const work = (await project(states[l.layer - 1]!)).dir;
      expect((await execa('git', ['apply', '--check', '-'], { cwd: work, input: l.diff, reject: false })).exitCode).toBe(0);
    }
    for (const n of [3, 2, 1]) {
      const r = revertFile(target, { now: new Date(Date.UTC(2026, 10, 22, 22, n)) });
      expect(r.reverted.map((x) => [x.layer.layer, x.outcome])).toEqual([[n, 'restored']]);
      expect(r.remaining.map((l) => l.layer)).toEqual([1, 2].slice(0, n - 1));
      expect(r.original).toBe(n === 1);
      expect(readFileSync(file).equals(states[n - 1]!)).toBe(true);
    }
    expect(readRecord(target)).toBeNull();
    expect(readdirSync(target.stateDir).sort()).toEqual(['.gitignore', 'history']);
    expect(readdirSync(join(dir, '.expkit', 'patches', 'history')).sort()).toEqual(
      ['20261122T220100.000Z.json', '20261122T220100.000Z.orig', '20261122T220200.000Z.layer2.json', '20261122T220200.000Z.layer2.orig', '20261122T220300.000Z.layer3.json', '20261122T220300.000Z.layer3.orig'].map(
        (n) => `${basename(target.recordPath, '.json')}.${n}`,
      ),
    );
  });

  test.each(SHAPES)('%s: --all takes every layer off, newest first, back to the original byte for byte', async (_n, bytes) => {
    const { file } = await project(bytes);
    const target = resolveTarget(file);
    await stackThree(file);
    const r = revertFile(target, { all: true });
    expect(r.reverted.map((x) => [x.layer.layer, x.outcome])).toEqual([
      [3, 'restored'],
      [2, 'restored'],
      [1, 'restored'],
    ]);
    expect(r.original).toBe(true);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readRecord(target)).toBeNull();
  });

  test('a user edit away from every layer: each revert takes its layer out and keeps the edit', async () => {
    const long = Buffer.concat([script({}), Buffer.from(Array.from({ length: 12 }, (_, i) => `v${i} = ${i}\n`).join(''))]);
    const { file } = await project(long);
    const target = resolveTarget(file);
    // Layer 3 goes at the end of the file: edit a line in the middle of the v-lines instead.
    await stackThree(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('v5 = 5', 'v5 = 500'));
    const r = revertFile(target, { all: true });
    expect(r.reverted.map((x) => x.outcome)).toEqual(['reverse-applied', 'reverse-applied', 'reverse-applied']);
    expect(r.original).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(long.toString('utf8').replace('v5 = 5', 'v5 = 500'));
  });

  test('a user edit inside layer 1: the layers above come off, layer 1 refuses; --all refuses before changing anything; --force keeps the edit beside the original', async () => {
    const { dir, file } = await project(script({}));
    const target = resolveTarget(file);
    const states = await stackThree(file);
    const edited = readFileSync(file, 'utf8').replace('import random  # expkit', 'import random as rnd  # mine');
    writeFileSync(file, edited);
    const stateFiles = () => readdirSync(join(dir, '.expkit', 'patches')).sort();
    const recordBefore = readFileSync(target.recordPath);
    const filesBefore = stateFiles();

    const all = refusal(() => revertFile(target, { all: true }));
    expect(all).toEqual({ exitCode: 3, message: `${file} was edited where expkit patched it (layer 1: seed), so the patch cannot be taken out cleanly; nothing was changed` });
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(readFileSync(target.recordPath).equals(recordBefore)).toBe(true);
    expect(stateFiles()).toEqual(filesBefore);

    expect(revertFile(target).reverted.map((x) => [x.layer.layer, x.outcome])).toEqual([[3, 'reverse-applied']]);
    expect(revertFile(target).reverted.map((x) => [x.layer.layer, x.outcome])).toEqual([[2, 'reverse-applied']]);
    expect(readFileSync(file, 'utf8')).toBe(states[1]!.toString('utf8').replace('import random  # expkit', 'import random as rnd  # mine'));
    const one = refusal(() => revertFile(target));
    // One layer left: the words expkit always used.
    expect(one).toEqual({ exitCode: 3, message: `${file} was edited where expkit patched it, so the patch cannot be taken out cleanly; nothing was changed` });

    const forced = revertFile(target, { force: true });
    expect(forced.reverted.map((x) => [x.layer.layer, x.outcome])).toEqual([[1, 'forced']]);
    expect(readFileSync(file).equals(states[0]!)).toBe(true);
    expect(readFileSync(forced.editedCopy!, 'utf8')).toContain('import random as rnd  # mine');
  });

  test('--all --force with an edit inside layer 2: the original comes back, the edited version is kept, every layer retired', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    const states = await stackThree(file);
    const edited = readFileSync(file, 'utf8').replace('name = name + "!"  # expkit', 'name = name + "?"');
    writeFileSync(file, edited);
    const r = revertFile(target, { all: true, force: true });
    expect(r.reverted.map((x) => [x.layer.layer, x.outcome])).toEqual([
      [3, 'forced'],
      [2, 'forced'],
      [1, 'forced'],
    ]);
    expect(r.original).toBe(true);
    expect(readFileSync(file).equals(states[0]!)).toBe(true);
    expect(readFileSync(r.editedCopy!, 'utf8')).toBe(edited);
    expect(readRecord(target)).toBeNull();
  });

  test('a record written before layers (schemaVersion 1) is read as layer 1: status, stacking, revert', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    const applied = applyBuiltPatch(target, await build(file, layerEdits(1)), OPTIONS);
    // Rewrite the record exactly as expkit 0.1 wrote it.
    const { layer: _n, ...fields } = applied.layer;
    const v1 = { schemaVersion: 1, file: 'train.py', kinds: fields.kinds, options: fields.options, edits: fields.edits, appliedAt: fields.appliedAt, expkitVersion: fields.expkitVersion, sha256Before: fields.sha256Before, sha256After: fields.sha256After, diff: fields.diff, backup: fields.backup };
    writeFileSync(target.recordPath, `${JSON.stringify(v1, null, 2)}\n`);
    expect(readRecord(target)).toEqual({ schemaVersion: 2, file: 'train.py', layers: [applied.layer] });
    const layer1 = readFileSync(file);

    const second = applyBuiltPatch(target, await build(file, layerEdits(2)), OPTIONS);
    expect(second.layer.layer).toBe(2);
    const rec = JSON.parse(readFileSync(target.recordPath, 'utf8'));
    expect(rec.schemaVersion).toBe(2);
    expect(rec.layers.map((l: { layer: number }) => l.layer)).toEqual([1, 2]);
    expect(revertFile(target).reverted[0]!.layer.layer).toBe(2);
    expect(readFileSync(file).equals(layer1)).toBe(true);
    expect(revertFile(target).reverted[0]!.outcome).toBe('restored');
    expect(readFileSync(file).equals(script({}))).toBe(true);
  });

  test('a record that names a backup outside the records folder is not one expkit understands', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    applyBuiltPatch(target, await build(file), OPTIONS);
    const rec = JSON.parse(readFileSync(target.recordPath, 'utf8'));
    rec.layers[0].backup = '../../train.py';
    writeFileSync(target.recordPath, JSON.stringify(rec));
    const r = refusal(() => revertFile(target));
    expect(r).toEqual({ exitCode: 3, message: `the patch record ${target.recordPath} is not one this expkit understands` });
    expect(readFileSync(file, 'utf8')).toContain('# expkit');
  });

  const STEPS = ['backup-written', 'record-written'] as const;
  test.each(STEPS.flatMap((s) => [1, 2].map((n) => [s, n] as const)))('a failure after %s (layer %d) puts the record back as it was, removes the backup, leaves the file', async (step, n) => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    if (n === 2) applyBuiltPatch(target, await build(file, layerEdits(1)), OPTIONS);
    const bytes = readFileSync(file);
    const record = existsSync(target.recordPath) ? readFileSync(target.recordPath) : null;
    const stateFiles = n === 2 ? readdirSync(target.stateDir).sort() : ['.gitignore'];
    const fail = () => {
      throw new Error(`disk full after ${step}`);
    };
    const built = await build(file, layerEdits(n));
    expect(() => applyBuiltPatch(target, built, OPTIONS, new Date(), { afterStep: (s) => s === step && fail() })).toThrow(`disk full after ${step}`);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    if (record) expect(readFileSync(target.recordPath).equals(record)).toBe(true);
    else expect(existsSync(target.recordPath)).toBe(false);
    expect(readdirSync(target.stateDir).sort()).toEqual(stateFiles);
  });
});
