/**
 * Apply and revert keep the file as a file: bytes the user added (valid UTF-8 or not), its exact
 * mode, its owner; what cannot be kept (hard links) is refused; paths that leave the project
 * through a symlinked directory are refused; leftovers of a killed apply do not block the next.
 */
import { execa } from 'execa';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyBuiltPatch } from '../../src/instrument/apply.js';
import { buildPatch, type BuiltPatch } from '../../src/instrument/engine.js';
import { revertFile } from '../../src/instrument/revert.js';
import { readRecord, resolveTarget } from '../../src/instrument/state.js';
import type { PythonParser } from '../../src/parser/index.js';
import { readSourceFile } from '../../src/io/read-source.js';
import { describeWith } from '../support/components.js';
import { insertLines, planOf, script, testParser } from './engine-support.js';
import { tempDir } from '../support/temp.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await testParser();
});

const OPTIONS = { seed: { value: 42, deterministic: false } };
const isRoot = process.getuid?.() === 0;

async function project(bytes: Buffer): Promise<{ dir: string; file: string }> {
  const dir = tempDir('expkit-files-');
  await execa('git', ['init', '-q'], { cwd: dir });
  const file = join(dir, 'train.py');
  writeFileSync(file, bytes);
  return { dir, file };
}

function build(file: string): Promise<BuiltPatch> {
  const src = readSourceFile(file);
  return buildPatch(src, planOf([insertLines(src, 1, ['import random'])]), { parser, displayPath: 'train.py', python: null });
}

function refusal(fn: () => unknown): { message: string; exitCode: number } {
  try {
    fn();
  } catch (err) {
    return { message: (err as Error).message, exitCode: (err as { exitCode: number }).exitCode };
  }
  throw new Error('expected a refusal');
}

describe('revert works on bytes', () => {
  test('bytes that are not UTF-8, appended after the patch, come back as they were (E9 stays E9)', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    applyBuiltPatch(target, await build(file), OPTIONS);
    const tail = Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe, 0x0a]); // "# caf\xE9\n\xFF\xFE\n"
    writeFileSync(file, Buffer.concat([readFileSync(file), tail]));
    const r = revertFile(target);
    expect(r.reverted.map((l) => l.outcome)).toEqual(['reverse-applied']);
    expect(readFileSync(file).equals(Buffer.concat([script({}), tail]))).toBe(true);
  });
});

describe('the file keeps its mode and owner', () => {
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
  });

  test('a 0664 file stays 0664 after apply and after revert, under umask 022 (and the backup is 0664 too)', async () => {
    const { file } = await project(script({}));
    chmodSync(file, 0o664);
    const target = resolveTarget(file);
    const applied = applyBuiltPatch(target, await build(file), OPTIONS);
    expect(statSync(file).mode & 0o7777).toBe(0o664);
    expect(statSync(applied.backupPath).mode & 0o7777).toBe(0o664);
    revertFile(target);
    expect(statSync(file).mode & 0o7777).toBe(0o664);
    expect(readFileSync(file).equals(script({}))).toBe(true);
  });

  test('a file with a second hard link is refused with the reason, changing nothing', async () => {
    const { dir, file } = await project(script({}));
    linkSync(file, join(dir, 'same.py'));
    const built = await build(file);
    const r = refusal(() => applyBuiltPatch(resolveTarget(file), built, OPTIONS));
    expect(r).toEqual({
      exitCode: 3,
      message: `${file} cannot be replaced safely: it has 2 hard links, which an atomic replace would split (the other names would keep the old content); nothing was changed`,
    });
    expect(statSync(file).nlink).toBe(2);
    expect(readFileSync(join(dir, 'same.py')).equals(script({}))).toBe(true);
    expect(existsSync(join(dir, '.expkit'))).toBe(false);
  });
});

describeWith('root (to patch a file owned by another user)', isRoot)('root patching a user\'s file', () => {
  const NOBODY = 65534;
  test('the file stays owned by its user and group after apply and after revert', async () => {
    const { file } = await project(script({}));
    chownSync(file, NOBODY, NOBODY);
    chmodSync(file, 0o640);
    const target = resolveTarget(file);
    applyBuiltPatch(target, await build(file), OPTIONS);
    expect(readFileSync(file, 'utf8')).toContain('import random  # expkit');
    expect(statSync(file)).toMatchObject({ uid: NOBODY, gid: NOBODY });
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    revertFile(target);
    expect(readFileSync(file).equals(script({}))).toBe(true);
    expect(statSync(file)).toMatchObject({ uid: NOBODY, gid: NOBODY });
    expect(statSync(file).mode & 0o7777).toBe(0o640);
  });
});

describe('paths out of the project', () => {
  test('through a symlinked directory (dirlink/outside.py) is refused like a symlinked file', async () => {
    const outside = tempDir('expkit-outside-');
    writeFileSync(join(outside, 'outside.py'), script({}));
    const { dir } = await project(script({}));
    symlinkSync(outside, join(dir, 'dirlink'));
    const r = refusal(() => resolveTarget(join(dir, 'dirlink', 'outside.py')));
    expect(r.exitCode).toBe(3);
    expect(r.message).toMatch(/dirlink\/outside\.py is reached through a symlinked directory, and leads to .*outside\.py, outside the project .*; expkit patches files inside the project only$/);
    // A symlinked directory inside the project is fine: the real file is patched.
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'inner.py'), script({}));
    symlinkSync('src', join(dir, 'srclink'));
    const target = resolveTarget(join(dir, 'srclink', 'inner.py'));
    expect(target.relPath).toBe('src/inner.py');
  });
});

describe('what a killed apply left does not block the next command', () => {
  test('a backup without its record (killed between the two) is removed when it is the file itself; apply then works', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    mkdirSync(target.stateDir, { recursive: true });
    writeFileSync(target.backupPath, script({}));
    applyBuiltPatch(target, await build(file), OPTIONS);
    expect(readRecord(target)!.layers).toHaveLength(1);
    expect(readFileSync(target.backupPath).equals(script({}))).toBe(true);
  });

  test('a record whose layer never reached the file (killed after the record) is dropped by the next apply', async () => {
    const { file } = await project(script({}));
    const target = resolveTarget(file);
    const built0 = await build(file);
    // What a kill right after the record leaves: the state folder as it is at that moment
    // (copied there, since the failure that stops the apply here also cleans up after itself).
    let left: Map<string, Buffer> = new Map();
    expect(() =>
      applyBuiltPatch(target, built0, OPTIONS, new Date(), {
        afterStep: (s) => {
          if (s !== 'record-written') return;
          left = new Map(readdirSync(target.stateDir).map((n) => [n, readFileSync(join(target.stateDir, n))]));
          throw new Error('killed');
        },
      }),
    ).toThrow('killed');
    for (const [n, bytes] of left) writeFileSync(join(target.stateDir, n), bytes);
    expect(readRecord(target)!.layers).toHaveLength(1);
    expect(readFileSync(file).equals(script({}))).toBe(true);

    const applied = applyBuiltPatch(target, await build(file), OPTIONS);
    expect(applied.layer.layer).toBe(1);
    expect(readFileSync(file, 'utf8')).toContain('import random  # expkit');
    revertFile(target);
    expect(readFileSync(file).equals(script({}))).toBe(true);
  });

  test('temporary files of a dead writer beside the file and in the state folder are removed; a live writer\'s are not', async () => {
    const { dir, file } = await project(script({}));
    const target = resolveTarget(file);
    mkdirSync(target.stateDir, { recursive: true });
    const dead = 2 ** 22 + 12345; // above pid_max's default: no such process
    writeFileSync(join(dir, `.train.py.${dead}.0a1b2c3d.tmp`), 'partial');
    writeFileSync(join(target.stateDir, `.train.py.x.orig.${dead}.0a1b2c3d.tmp`), 'partial');
    writeFileSync(join(dir, `.train.py.${process.pid}.0a1b2c3d.tmp`), 'a live writer');
    applyBuiltPatch(target, await build(file), OPTIONS);
    expect(readdirSync(dir).sort()).toEqual(['.expkit', '.git', `.train.py.${process.pid}.0a1b2c3d.tmp`, 'train.py']);
    expect(readdirSync(target.stateDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
