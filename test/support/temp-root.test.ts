/** The run's leak check (temp-root.cjs): a folder left behind fails the run; one kept on purpose does not. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tempDir } from './temp.js';

const { teardown } = createRequire(import.meta.url)('./temp-root.cjs') as { teardown: () => Promise<void> };

describe('the leak check at the end of a jest run', () => {
  const saved = process.env.EXPKIT_TEST_TMP_ROOT;
  afterEach(() => {
    process.env.EXPKIT_TEST_TMP_ROOT = saved;
  });

  /** A stand-in for the run's root, holding the given entries. */
  function fakeRoot(entries: string[], kept: string[] = []): string {
    const root = tempDir('expkit-fakeroot-');
    for (const name of entries) mkdirSync(join(root, name));
    if (kept.length > 0) writeFileSync(join(root, '.kept-on-failure'), kept.map((name) => `${join(root, name)}\n`).join(''));
    process.env.EXPKIT_TEST_TMP_ROOT = root;
    return root;
  }

  test('fails, naming them, when expkit folders are left; the root stays for a look', async () => {
    const root = fakeRoot(['expkit-golden-abc', 'expkit-run-def', 'tmp_python_thing']);
    await expect(teardown()).rejects.toThrow(/left 2 expkit temp folder\(s\) behind .*expkit-golden-abc, expkit-run-def/);
    expect(existsSync(root)).toBe(true);
  });

  test('passes and removes the root when only other tools left something', async () => {
    const root = fakeRoot(['tmp_python_thing']);
    await expect(teardown()).resolves.toBeUndefined();
    expect(existsSync(root)).toBe(false);
  });

  test('does not count a folder a failing test kept on purpose, and keeps it', async () => {
    const root = fakeRoot(['expkit-kept-abc'], ['expkit-kept-abc']);
    await expect(teardown()).resolves.toBeUndefined();
    expect(existsSync(join(root, 'expkit-kept-abc'))).toBe(true);
  });
});
