/**
 * Temporary folders for tests, made in one place so none is left behind: each is removed after the
 * test file's tests. `keepOnFailure` keeps it when the test that made it failed (or, for one made
 * outside a test, in beforeAll, when any test of the file failed): its path is printed and listed for
 * the leak check, which then does not count it.
 *
 * Removal runs in a root-level afterAll registered when this module is first imported: after every
 * describe's own afterAll (so a helper's cleanup, e.g. stopping runs, still finds its folder), but
 * before a test file's root-level afterAll; keep folders such a hook needs inside a describe.
 *
 * Jest's global setup (temp-root.cjs) points TMPDIR at a folder of its own for the run; its teardown
 * fails the run when an `expkit-*` folder is left in it. Names must start with `expkit-` for that.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The file, in the run's temp root, that lists folders kept on purpose (read by temp-root.cjs). */
export const KEPT_LIST = '.kept-on-failure';

interface Made {
  dir: string;
  keepOnFailure: boolean;
  /** Made inside a test (not in beforeAll or while the file is read). */
  inTest: boolean;
  /** The test that made it failed. */
  failed: boolean;
}

const made: Made[] = [];
let aTestFailed = false;
/** The folders the running test made; null between tests. */
let madeInThisTest: Made[] | null = null;

export function tempDir(prefix: string, options: { keepOnFailure?: boolean } = {}): string {
  if (!prefix.startsWith('expkit-')) throw new Error(`tempDir: the prefix must start with "expkit-" (the leak check looks for it), not ${JSON.stringify(prefix)}`);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const m: Made = { dir, keepOnFailure: Boolean(options.keepOnFailure), inTest: madeInThisTest !== null, failed: false };
  made.push(m);
  madeInThisTest?.push(m);
  return dir;
}

beforeEach(() => {
  madeInThisTest = [];
});

afterEach(() => {
  const mine = madeInThisTest ?? [];
  madeInThisTest = null;
  if (!currentTestFailed()) return;
  aTestFailed = true;
  for (const m of mine) m.failed = true;
});

afterAll(() => {
  for (const { dir, keepOnFailure, inTest, failed } of made.splice(0)) {
    if (keepOnFailure && (inTest ? failed : aTestFailed)) {
      process.stderr.write(`note: a test failed; kept ${dir} for a look\n`);
      appendFileSync(join(tmpdir(), KEPT_LIST), `${dir}\n`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

/**
 * Whether the test that just ran failed. jest-circus keeps that in its state, under a symbol it does
 * not export; without it (another runner) failures are not seen and every folder is removed.
 */
function currentTestFailed(): boolean {
  const key = Object.getOwnPropertySymbols(globalThis).find((s) => s.description === 'JEST_STATE_SYMBOL');
  const state = key ? (globalThis as Record<symbol, { currentlyRunningTest?: { errors: unknown[] } | null }>)[key] : undefined;
  return (state?.currentlyRunningTest?.errors.length ?? 0) > 0;
}
