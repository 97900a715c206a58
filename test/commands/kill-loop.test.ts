/**
 * Kill loop: `instrument --apply --yes` and `revert`, SIGKILLed at random moments (biased
 * towards the end, where the writes are). After every kill the file is the original or the
 * patched version byte for byte, and the next command (not killed) works and leaves no
 * temporary file in the user's folder. Prints the figures.
 */
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fixturePath, runCli } from '../support/cli.js';
import { recordAttacks } from '../support/attack-figures.js';
import { tempDir } from '../support/temp.js';

const ATTACKS = 30;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const APPLY = ['instrument', 'train.py', '--seed', '--apply', '--yes'];
const REVERT = ['revert', 'train.py'];

/** Run the CLI and SIGKILL it after `delayMs` (if it is still running then); resolves when it is gone. */
function runKilledAfter(args: string[], cwd: string, delayMs: number): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL' });
    });
  });
}

test(`${ATTACKS} SIGKILLs of apply and revert: the file is always the original or the patched version, and the next command works`, async () => {
  const dir = tempDir('expkit-kill-');
  dirs.push(dir);
  await execa('git', ['init', '-q'], { cwd: dir });
  const file = join(dir, 'train.py');
  copyFileSync(fixturePath('plain_mlp.py'), file);
  const ORIGINAL = readFileSync(file);

  // The patched version, and how long each command takes when left alone.
  let t = performance.now();
  expect((await runCli(APPLY, { cwd: dir })).exitCode).toBe(0);
  const applyMs = performance.now() - t;
  const PATCHED = readFileSync(file);
  t = performance.now();
  expect((await runCli(REVERT, { cwd: dir })).exitCode).toBe(0);
  const revertMs = performance.now() - t;
  expect(readFileSync(file).equals(ORIGINAL)).toBe(true);

  const figures = { attacks: 0, killedMidway: 0, promisesKept: 0 };
  for (let i = 0; i < ATTACKS; i++) {
    const patched = readFileSync(file).equals(PATCHED);
    const [args, ms] = patched ? [REVERT, revertMs] : [APPLY, applyMs];
    // Uniform over the second half of the run and a little past it: the writes come last.
    const delay = ms * (0.5 + 0.6 * Math.random());
    const { killed } = await runKilledAfter(args, dir, delay);
    figures.attacks++;
    if (killed) figures.killedMidway++;

    const now = readFileSync(file);
    const isOriginal = now.equals(ORIGINAL);
    expect(isOriginal || now.equals(PATCHED)).toBe(true);

    // The next command, left alone, works from whatever the kill left.
    const next = await runCli(isOriginal ? APPLY : REVERT, { cwd: dir });
    expect([next.exitCode, next.stderr.includes('internal error')]).toEqual([0, false]);
    expect(readFileSync(file).equals(isOriginal ? PATCHED : ORIGINAL)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    figures.promisesKept++;
  }
  process.stderr.write(`kill loop: ${figures.attacks} attacks (${figures.killedMidway} killed mid-run), ${figures.promisesKept} promises kept\n`);
  recordAttacks('kill -9 of instrument --apply and revert', figures.attacks, figures.promisesKept);
  expect(figures.promisesKept).toBe(ATTACKS);
});
