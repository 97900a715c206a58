/** Applying a built patch with backup and record, and every way of taking it out again. */
import { execa } from 'execa';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyBuiltPatch } from '../../src/instrument/apply.js';
import { buildPatch, sha256, type BuiltPatch } from '../../src/instrument/engine.js';
import { revertFile } from '../../src/instrument/revert.js';
import { listRecords, readRecord, resolveTarget } from '../../src/instrument/state.js';
import type { PythonParser } from '../../src/parser/index.js';
import { readSourceFile } from '../../src/io/read-source.js';
import { insertLines, planOf, script, SHAPES, testParser, threeEdits } from './engine-support.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await testParser();
});

const OPTIONS = { seed: { value: 42, deterministic: false } };

/** A project (a git repository unless told otherwise) with `train.py` in it. */
async function project(bytes: Buffer, git = true): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'expkit-apply-'));
  if (git) await execa('git', ['init', '-q'], { cwd: dir });
  const file = join(dir, 'train.py');
  writeFileSync(file, bytes);
  return { dir, file };
}

function build(file: string, edits?: (src: ReturnType<typeof readSourceFile>) => ReturnType<typeof insertLines>[]): BuiltPatch {
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
    const built = build(file);
    const target = resolveTarget(file);
    const now = new Date('2026-11-22T21:00:00.000Z');
    const applied = applyBuiltPatch(target, built, OPTIONS, now);
    expect(readFileSync(file).equals(built.after)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o751);
    expect(readFileSync(applied.backupPath).equals(bytes)).toBe(true);
    expect(applied.recordPath.startsWith(join(dir, '.expkit', 'patches'))).toBe(true);
    const rec = readRecord(target)!;
    expect(rec).toMatchObject({
      schemaVersion: 1,
      file: 'train.py',
      kinds: ['seed', 'wandb', 'checkpoint'],
      options: OPTIONS,
      appliedAt: '2026-11-22T21:00:00.000Z',
      sha256Before: sha256(bytes),
      sha256After: sha256(built.after),
      diff: built.diff,
    });
    expect(rec.expkitVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(readFileSync(join(dir, '.expkit', 'patches', '.gitignore'), 'utf8')).toContain('*');

    const r = revertFile(target, { now: new Date('2026-11-22T21:05:00.000Z') });
    expect(r.outcome).toBe('restored');
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o751);
    expect(readRecord(target)).toBeNull();
    expect(existsSync(applied.backupPath)).toBe(false);
    expect(readdirSync(join(dir, '.expkit', 'patches', 'history')).sort()).toEqual([
      expect.stringMatching(/^train\.py\.[0-9a-f]{8}\.20261122T210500\.000Z\.json$/),
      expect.stringMatching(/^train\.py\.[0-9a-f]{8}\.20261122T210500\.000Z\.orig$/),
    ]);
    // Instrumenting again is possible after a revert.
    applyBuiltPatch(target, build(file), OPTIONS);
    expect(listRecords(dir)).toHaveLength(1);
  });

  test.each(SHAPES)('%s: a user edit far from the patch survives the revert', async (_n, bytes) => {
    const { file } = await project(Buffer.concat([bytes, Buffer.from(Array.from({ length: 12 }, (_, i) => `\nv${i} = ${i}`).join(''))]));
    const original = readFileSync(file);
    const built = build(file, (src) => [insertLines(src, 1, ['import random'])]);
    const target = resolveTarget(file);
    applyBuiltPatch(target, built, OPTIONS);
    const edited = readFileSync(file, 'utf8').replace('v11 = 11', 'v11 = 1100');
    writeFileSync(file, edited);
    expect(revertFile(target).outcome).toBe('reverse-applied');
    expect(readFileSync(file, 'utf8')).toBe(original.toString('utf8').replace('v11 = 11', 'v11 = 1100'));
    expect(readRecord(target)).toBeNull();
  });

  test('an edit inside the patch is refused, changing nothing; --force restores and keeps the edited version', async () => {
    const { dir, file } = await project(script({}));
    const target = resolveTarget(file);
    applyBuiltPatch(target, build(file), OPTIONS);
    const edited = readFileSync(file, 'utf8').replace('SEED = 42  # expkit', 'SEED = 7  # mine');
    writeFileSync(file, edited);
    const r = refusal(() => revertFile(target));
    expect(r.exitCode).toBe(3);
    expect(r.message).toBe(`${file} was edited where expkit patched it, so the patch cannot be taken out cleanly; nothing was changed`);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(readRecord(target)).not.toBeNull();

    const forced = revertFile(target, { force: true });
    expect(forced.outcome).toBe('forced');
    expect(readFileSync(file).equals(script({}))).toBe(true);
    expect(forced.editedCopy!.startsWith(join(dir, '.expkit', 'patches'))).toBe(true);
    expect(readFileSync(forced.editedCopy!, 'utf8')).toBe(edited);
    expect(readRecord(target)).toBeNull();
  });

  test('a file already back to the original only retires the record', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    applyBuiltPatch(target, build(file), OPTIONS);
    writeFileSync(file, script({}));
    expect(revertFile(target).outcome).toBe('already-original');
    expect(readRecord(target)).toBeNull();
  });

  test('outside git the project is the file\'s directory', async () => {
    const { dir, file } = await project(script({}), false);
    const target = resolveTarget(file);
    expect(target.projectRoot).toBe(realpathSync(dir));
    applyBuiltPatch(target, build(file), OPTIONS);
    expect(listRecords(target.projectRoot).map((r) => r.record.file)).toEqual(['train.py']);
  });
});

describe('apply refuses, changing nothing', () => {
  function snapshot(dir: string, file: string) {
    return { bytes: readFileSync(file), state: existsSync(join(dir, '.expkit')) ? readdirSync(join(dir, '.expkit', 'patches')).sort() : [] };
  }

  test('when the file changed between analysis and writing', async () => {
    const { dir, file } = await project(script({}));
    const built = build(file);
    writeFileSync(file, script({ eol: '\r\n' }));
    const before = snapshot(dir, file);
    const r = refusal(() => applyBuiltPatch(resolveTarget(file), built, OPTIONS));
    expect(r).toEqual({ exitCode: 3, message: `${file} changed since it was analysed; nothing was changed` });
    expect(readFileSync(file).equals(before.bytes)).toBe(true);
    expect(readdirSync(join(dir, '.expkit', 'patches'))).toEqual(['.gitignore']);
  });

  test('when a patch is already recorded: the same file (no stacking) or an edited one (revert first)', async () => {
    const { dir, file } = await project(script({}));
    applyBuiltPatch(resolveTarget(file), build(file), OPTIONS);
    const again = build(file, (src) => [insertLines(src, 1, ['import random'])]);
    const before = snapshot(dir, file);
    const r1 = refusal(() => applyBuiltPatch(resolveTarget(file), again, OPTIONS));
    expect(r1.exitCode).toBe(3);
    expect(r1.message).toMatch(/already has an expkit patch \(seed, wandb, checkpoint, applied .+\); patches do not stack$/);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('x = 1\n')]));
    const edited = readFileSync(file);
    const r2 = refusal(() => applyBuiltPatch(resolveTarget(file), build(file, (src) => [insertLines(src, 1, ['import random'])]), OPTIONS));
    expect(r2.exitCode).toBe(3);
    expect(r2.message).toMatch(/was patched by expkit .* and has changed since; nothing was changed$/);
    expect(readFileSync(file).equals(edited)).toBe(true);
    expect(snapshot(dir, file).state).toEqual(before.state);
  });

  test('when a backup from an earlier apply is there without its record', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    mkdirSync(target.stateDir, { recursive: true });
    writeFileSync(target.backupPath, 'old backup\n');
    const r = refusal(() => applyBuiltPatch(target, build(file), OPTIONS));
    expect(r.exitCode).toBe(3);
    expect(r.message).toBe(`a backup of ${file} from an earlier apply already exists (${target.backupPath}); expkit never overwrites it`);
    expect(readFileSync(target.backupPath, 'utf8')).toBe('old backup\n');
    expect(readFileSync(file).equals(script({}))).toBe(true);
    expect(existsSync(target.recordPath)).toBe(false);
  });

  test('when the file is read-only', async () => {
    const { file } = await project(script({}));
    chmodSync(file, 0o444);
    const r = refusal(() => applyBuiltPatch(resolveTarget(file), build(file), OPTIONS));
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
    applyBuiltPatch(target, build(join(dir, 'inner.py')), OPTIONS);
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
    applyBuiltPatch(target, build(file), OPTIONS);
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
    applyBuiltPatch(target, build(file), OPTIONS);
    const patched = readFileSync(file);
    chmodSync(file, 0o444);
    expect(refusal(() => revertFile(target))).toEqual({ exitCode: 3, message: `${file} is read-only (or its directory is); nothing was changed` });
    expect(readFileSync(file).equals(patched)).toBe(true);
    expect(readRecord(target)).not.toBeNull();
  });
});
