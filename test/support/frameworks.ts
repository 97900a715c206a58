/**
 * Real framework runs for instrument tests: a fixture from fixtures/instrument/<style>/input.py is
 * copied into a temporary directory, patched with the built CLI (`--apply --yes`), and run with the
 * framework venv's Python (scripts/test-setup.sh) and the real wandb in offline mode. Everything a run
 * writes (wandb, HF cache, checkpoints, outputs) stays in that directory.
 */
import { execa } from 'execa';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, REPO_ROOT, runCli, type CliResult } from './cli.js';
import { FRAMEWORK_PYTHON } from './components.js';
import { tempDir } from './temp.js';

const HISTORY_READER = join(REPO_ROOT, 'test', 'support', 'wandb_offline_history.py');
const KILLER = join(REPO_ROOT, 'test', 'support', 'kill-after-checkpoint');

export interface FrameworkRun {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/** One wandb offline run as the real wandb recorded it. */
export interface OfflineRun {
  id: string;
  resumed: boolean;
  history: Record<string, unknown>[];
  exitCode: number | null;
}

/** A fresh directory holding the fixture as train.py. */
export function copyFixture(style: string): string {
  const dir = tempDir(`expkit-fw-${style}-`);
  copyFileSync(join(FIXTURES, 'instrument', style, 'input.py'), join(dir, 'train.py'));
  return dir;
}

/** `expkit instrument train.py FLAGS --apply --yes` in dir, as a user (or an agent) without a terminal would. */
export function instrumentInPlace(dir: string, flags: string[]): Promise<CliResult> {
  return runCli(['instrument', 'train.py', ...flags, '--apply', '--yes'], { cwd: dir });
}

/**
 * Run dir/train.py with the framework venv. `killAfter`: a glob of the file that completes a
 * checkpoint; the process SIGKILLs itself as soon as it exists (test/support/kill-after-checkpoint).
 */
export async function runFrameworkScript(dir: string, args: string[], opts: { killAfter?: string; env?: Record<string, string> } = {}): Promise<FrameworkRun> {
  const r = await execa(FRAMEWORK_PYTHON, ['train.py', ...args], {
    cwd: dir,
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      WANDB_MODE: 'offline',
      WANDB_DIR: dir,
      WANDB_CONFIG_DIR: join(dir, '.wandb-config'),
      WANDB_CACHE_DIR: join(dir, '.wandb-cache'),
      WANDB_DATA_DIR: join(dir, '.wandb-data'),
      HF_HUB_OFFLINE: '1',
      HF_DATASETS_OFFLINE: '1',
      TRANSFORMERS_OFFLINE: '1',
      HF_HOME: join(dir, '.hf'),
      KERAS_HOME: join(dir, '.keras'),
      MPLCONFIGDIR: join(dir, '.mpl'),
      PYTHONHASHSEED: 'random',
      // Step loops save on a clock: at every due point here, so a run killed after its first checkpoint has one.
      EXPKIT_CHECKPOINT_SECONDS: '0',
      ...(opts.killAfter ? { PYTHONPATH: KILLER, EXPKIT_KILL_AFTER: opts.killAfter } : {}),
      ...opts.env,
    },
  });
  return { exitCode: r.exitCode, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The offline runs under dir/wandb, oldest first, read from their .wandb files with wandb's own protobufs. */
export async function offlineRuns(dir: string): Promise<OfflineRun[]> {
  const root = join(dir, 'wandb');
  if (!existsSync(root)) return [];
  const runDirs = readdirSync(root)
    .filter((d) => d.startsWith('offline-run-'))
    .sort();
  const runs: OfflineRun[] = [];
  for (const d of runDirs) {
    const r = await execa(FRAMEWORK_PYTHON, [HISTORY_READER, join(root, d)], { reject: false });
    if (r.exitCode !== 0) throw new Error(`reading ${d}: ${String(r.stderr)}`);
    const run: OfflineRun = { id: '', resumed: false, history: [], exitCode: null };
    for (const line of String(r.stdout).split('\n').filter(Boolean)) {
      const rec = JSON.parse(line) as { run?: { id: string; resumed: boolean }; history?: Record<string, unknown>; exit?: number };
      if (rec.run) Object.assign(run, { id: rec.run.id, resumed: rec.run.resumed });
      if (rec.history) run.history.push(rec.history);
      if (rec.exit !== undefined) run.exitCode = rec.exit;
    }
    runs.push(run);
  }
  return runs;
}

/** [step, value] for every history row that logged `key`, in the order logged. */
export function series(run: OfflineRun, key: string, stepKey = '_step'): [number, number][] {
  return run.history.filter((row) => typeof row[key] === 'number').map((row) => [row[stepKey] as number, row[key] as number]);
}

/**
 * Warnings and errors a run printed on stderr, less the ones `ignored` names (each with its reason,
 * in the caller). Progress bars and wandb's own informational lines are not warnings.
 */
export function warningLines(stderr: string, ignored: RegExp[]): string[] {
  const lines = stderr.split(/\r?\n|\r/);
  const flagged: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!/warn|error|traceback|exception|deprecat/i.test(line)) continue;
    if (ignored.some((re) => re.test(line))) continue;
    // Python's warnings print the source line underneath: it belongs to the warning above.
    if (i > 0 && /Warning: /.test(lines[i - 1]!) && ignored.some((re) => re.test(lines[i - 1]!))) continue;
    flagged.push(line);
  }
  return flagged;
}

/**
 * Everything a framework style needs to be checked end to end; `checkStyle` (in the test) runs it.
 * A style for a framework expkit cannot patch yet (JAX) is written the same way, for when it can.
 */
export interface FrameworkStyle {
  style: string;
  /** Script arguments that keep the run to a few seconds; outputs relative to the run directory. */
  args: string[];
  /** The loss as the framework's wandb integration names it in the history. */
  lossKey: string;
  /** The history key that carries the training step for lossKey ('_step' when wandb counts). */
  stepKey: string;
  /** Glob of the file that completes the first checkpoint (see runFrameworkScript). */
  checkpointDone: string;
  /** The line of stdout that states the result a resumed run must reproduce. */
  finalLine: RegExp;
  /** Stderr lines that come from the framework itself, not from expkit or wandb: each with why. */
  ignoredWarnings: RegExp[];
  /**
   * Set when the framework cannot resume bit-identically (say why): the resumed losses and final
   * number must then be within this relative distance of the uninterrupted run's, at the same steps.
   */
  inexactResume?: { relative: number; why: string };
  /** Framework-specific evidence that a rerun after the kill resumed from the checkpoint. */
  resumed: (rerun: FrameworkRun, runs: OfflineRun[]) => void;
}

export function finalLine(run: FrameworkRun, re: RegExp): string | undefined {
  return run.stdout.split('\n').filter((l) => re.test(l)).pop();
}

const FLAGS = ['--wandb', '--seed', '--checkpoint'];
/** One thread per process: three runs share the CPUs, and thread count never varies between compared runs. */
const THREADS = { OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** The four runs a style is judged on, each in its own patched copy (the rerun in the killed one's). */
export interface StyleRuns {
  spec: FrameworkStyle;
  /** Uninterrupted, and again with the same seed. */
  a: FrameworkRun;
  b: FrameworkRun;
  /** SIGKILLed right after its first checkpoint, then the same command again in the same directory. */
  killed: FrameworkRun;
  rerun: FrameworkRun;
  wandbA: OfflineRun[];
  wandbB: OfflineRun[];
  wandbK: OfflineRun[];
}

/** Patch three copies with `--wandb --seed --checkpoint`, run them (one killed), then rerun the killed one. */
export async function runStyle(spec: FrameworkStyle): Promise<StyleRuns> {
  const [a, b, k] = [copyFixture(spec.style), copyFixture(spec.style), copyFixture(spec.style)];
  for (const dir of [a, b, k]) {
    const r = await instrumentInPlace(dir, FLAGS);
    if (r.exitCode !== 0) throw new Error(`expkit instrument failed (${r.exitCode}): ${r.stderr}`);
  }
  const [runA, runB, killed] = await Promise.all([
    runFrameworkScript(a, spec.args, { env: THREADS }),
    runFrameworkScript(b, spec.args, { env: THREADS }),
    runFrameworkScript(k, spec.args, { env: THREADS, killAfter: spec.checkpointDone }),
  ]);
  const rerun = killed.signal === 'SIGKILL' ? await runFrameworkScript(k, spec.args, { env: THREADS }) : killed;
  return { spec, a: runA, b: runB, killed, rerun, wandbA: await offlineRuns(a), wandbB: await offlineRuns(b), wandbK: await offlineRuns(k) };
}

function expectExitZero(run: FrameworkRun): void {
  expect({ exit: run.exitCode, signal: run.signal, tail: run.stderr.split('\n').slice(-8).join('\n') }).toEqual({ exit: 0, signal: undefined, tail: expect.any(String) });
}

/** Runs to the end with no warning or error the patch or wandb caused; the real wandb logged the loss at increasing steps. */
export function expectRunsAndLogs({ spec, a, wandbA }: StyleRuns): void {
  expectExitZero(a);
  expect(warningLines(a.stderr, spec.ignoredWarnings)).toEqual([]);
  expect(wandbA).toHaveLength(1);
  expect(wandbA[0]!.exitCode).toBe(0);
  const loss = series(wandbA[0]!, spec.lossKey, spec.stepKey);
  expect(loss.length).toBeGreaterThanOrEqual(2);
  const steps = loss.map(([s]) => s);
  expect(steps.every((s, i) => i === 0 || s > steps[i - 1]!)).toBe(true);
  for (const [, v] of loss) expect(Number.isFinite(v)).toBe(true);
}

/** The same seed, the same logged losses. */
export function expectSameSeedSameLosses({ spec, a, b, wandbA, wandbB }: StyleRuns): void {
  expectExitZero(a);
  expectExitZero(b);
  const loss = series(wandbA[0]!, spec.lossKey, spec.stepKey);
  expect(loss.length).toBeGreaterThan(0);
  expect(series(wandbB[0]!, spec.lossKey, spec.stepKey)).toEqual(loss);
}

/**
 * Killed right after the first checkpoint, the same command again continues from it: no warning,
 * framework evidence of the resume, and the rerun's wandb run starts after where a fresh run first logs.
 */
export function expectResumes({ spec, killed, rerun, wandbA, wandbK }: StyleRuns): void {
  expect(killed.signal).toBe('SIGKILL');
  expectExitZero(rerun);
  expect(warningLines(rerun.stderr, spec.ignoredWarnings)).toEqual([]);
  spec.resumed(rerun, wandbK);
  const lossA = series(wandbA[0]!, spec.lossKey, spec.stepKey);
  const lossR = series(wandbK[wandbK.length - 1]!, spec.lossKey, spec.stepKey);
  expect(lossR.length).toBeGreaterThan(0);
  expect(lossR[0]![0]).toBeGreaterThan(lossA[0]![0]);
}

/** The rerun's losses and final result are the uninterrupted run's (or near them, see inexactResume). */
export function expectResumeMatchesUninterrupted({ spec, a, rerun, wandbA, wandbK }: StyleRuns): void {
  expectExitZero(rerun);
  const lossA = series(wandbA[0]!, spec.lossKey, spec.stepKey);
  const lossR = series(wandbK[wandbK.length - 1]!, spec.lossKey, spec.stepKey);
  expect(lossR.length).toBeGreaterThan(0);
  const sameSteps = lossA.filter(([s]) => s >= lossR[0]![0]);
  const [endR, endA] = [finalLine(rerun, spec.finalLine), finalLine(a, spec.finalLine)];
  expect(endR).toBeDefined();
  if (!spec.inexactResume) {
    expect(lossR).toEqual(sameSteps);
    expect(endR).toBe(endA);
    return;
  }
  // Continued, not restarted: the same steps, each loss near the uninterrupted one and below the
  // first loss a fresh run logs; the final number near the uninterrupted one.
  const near = (x: number, y: number) => Math.abs(x - y) <= spec.inexactResume!.relative * Math.abs(y);
  expect(lossR.map(([s]) => s)).toEqual(sameSteps.map(([s]) => s));
  lossR.forEach(([, v], i) => {
    expect([v, near(v, sameSteps[i]![1])]).toEqual([v, true]);
    expect(v).toBeLessThan(lossA[0]![1]);
  });
  const number = (line: string | undefined) => Number(/(-?\d+\.\d+)\s*$/.exec(line ?? '')?.[1]);
  expect([endR, near(number(endR), number(endA))]).toEqual([endR, true]);
}
