/**
 * Golden before/after fixtures of `expkit instrument`, in the manner of LibCST's assertCodemod and
 * jscodeshift's fixtures: for every style in fixtures/instrument/<style>/ and every flag set it holds,
 * the whole patched file must equal expected.<flags>.py byte for byte (no expected file: the script
 * stays unchanged), and the skip reasons must equal skipped.<flags>.json. Every expected file compiles,
 * and the diff expkit prints from input.py to it is one `git apply` takes and that yields it exactly.
 * Layout and options: fixtures/instrument/README.md.
 *
 * Writing expected files (humans only, never in CI):
 *   EXPKIT_GOLDEN_WRITE=1 npm test -- test/instrument/golden.test.ts
 * writes the files that are MISSING for each style's default flag sets (wandb, seed, checkpoint, all),
 * skipping any flag set with a left-out.<flags>.txt. It never overwrites: to accept a changed output,
 * delete the expected file, rerun, and review `git diff`. A written file is the tool's output, not a
 * reviewed expectation: read it line by line (every name bound where it is read, the right loss logged,
 * seeding before anything random, resume correct) before committing it; when it is wrong, delete it and
 * put the bug in left-out.<flags>.txt instead.
 */
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { describeWith, inCI, SYSTEM_PYTHON } from '../support/components.js';
import { styleNames } from '../support/fixtures.js';
import {
  DEFAULT_FLAG_SETS,
  expectedPath,
  instrumentStyle,
  kindsOf,
  readExpected,
  readSkipped,
  skippedPath,
  skippedText,
  styleFiles,
  type FlagSet,
} from '../support/golden.js';
import { tempDir } from '../support/temp.js';

const WRITE = process.env.EXPKIT_GOLDEN_WRITE === '1';
if (WRITE && inCI) throw new Error('EXPKIT_GOLDEN_WRITE is for humans reviewing new outputs, not for CI');

const styles = styleNames();

/** Write what is missing for `style` (write mode only); returns the paths written. */
async function writeMissing(style: string): Promise<string[]> {
  const files = styleFiles(style);
  const written: string[] = [];
  for (const flags of DEFAULT_FLAG_SETS) {
    if (files.checked.includes(flags) || files.leftOut.includes(flags)) continue;
    const built = await instrumentStyle(style, flags);
    if (built.diff !== '') writeFileSync(expectedPath(style, flags), built.after);
    // Nothing changed and no reason given is written too ([]), so that it is seen and checked.
    const skips = built.plan.skipped.length > 0 || built.diff === '';
    if (skips) writeFileSync(skippedPath(style, flags), skippedText(built.plan.skipped));
    written.push(...[built.diff !== '' && `expected.${flags}.py`, skips && `skipped.${flags}.json`].filter((x): x is string => !!x));
  }
  return written;
}

/** A readable failure: the unified diff from the expected file to what expkit produced. */
function mismatch(style: string, flags: FlagSet, want: Buffer, got: Buffer): string {
  const name = existsSync(expectedPath(style, flags)) ? `expected.${flags}.py` : 'input.py (unchanged)';
  const diff = createTwoFilesPatch(name, 'expkit output', want.toString('utf8'), got.toString('utf8'), undefined, undefined, { context: 3 });
  const subtle = want.toString('utf8').replace(/\r/g, '') === got.toString('utf8').replace(/\r/g, '') ? ' (line endings differ)' : '';
  return `${style} ${flags}: the patched file differs from ${name}${subtle} (- expected, + expkit):\n${diff}`;
}

async function git(dir: string, args: string[], input?: string) {
  return execa('git', args, { cwd: dir, input, reject: false });
}

describeWith('python3 (compile and scope checks)', existsSync(SYSTEM_PYTHON))('golden fixtures of expkit instrument', () => {
  test('there are at least 34 styles', () => {
    expect(styles.length).toBeGreaterThanOrEqual(34);
  });

  describe.each(styles)('%s', (style) => {
    beforeAll(async () => {
      if (!WRITE) return;
      const written = await writeMissing(style);
      if (written.length > 0) console.log(`${style}: wrote ${written.join(', ')}: read each line before committing`);
    });

    test('every file is named for a flag set, and at least one flag set is checked', () => {
      const files = styleFiles(style);
      expect(files.unknown).toEqual([]);
      for (const f of [...files.checked, ...files.leftOut]) expect(() => kindsOf(f)).not.toThrow();
      expect(files.checked.filter((f) => files.leftOut.includes(f))).toEqual([]);
      expect(files.checked.length).toBeGreaterThan(0);
    });

    // Flag sets are read when the test runs, so files written in beforeAll are checked at once.
    test('the whole patched file and the skip reasons, for each flag set', async () => {
      const { input, checked } = styleFiles(style);
      const original = readFileSync(input);
      for (const flags of checked) {
        const built = await instrumentStyle(style, flags);
        const want = readExpected(style, flags) ?? original;
        if (!built.after.equals(want)) throw new Error(mismatch(style, flags, want, built.after));
        expect([flags, built.plan.skipped]).toEqual([flags, readSkipped(style, flags)]);
        // An expected file that equals the input would hide "nothing changed" behind a file.
        expect([flags, want === original || !want.equals(original)]).toEqual([flags, true]);
      }
    });

    test('every expected file compiles, and expkit\'s diff to it is one git applies exactly', async () => {
      const { input, checked } = styleFiles(style);
      const original = readFileSync(input);
      for (const flags of checked) {
        const want = readExpected(style, flags);
        if (want === null) continue;
        const compiled = await execa(SYSTEM_PYTHON, ['-c', 'import sys; compile(sys.stdin.buffer.read(), sys.argv[1], "exec")', `expected.${flags}.py`], { input: want, reject: false });
        expect([flags, compiled.stderr]).toEqual([flags, '']);

        const dir = tempDir('expkit-golden-');
        await git(dir, ['init', '-q']);
        writeFileSync(join(dir, `${style}.py`), original);
        // The diff expkit prints (written from the plan's edits); the file it makes was compared above.
        const { diff } = await instrumentStyle(style, flags);
        const check = await git(dir, ['apply', '--check', '-'], diff);
        expect([flags, check.stderr]).toEqual([flags, '']);
        expect((await git(dir, ['apply', '-'], diff)).exitCode).toBe(0);
        expect(readFileSync(join(dir, `${style}.py`)).equals(want)).toBe(true);
      }
    });
  });
});
