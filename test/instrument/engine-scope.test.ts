/** The engine and the scope check: a kind whose inserted code reads an unbound name is not offered; the rest is. */
import { existsSync } from 'node:fs';
import { instrumentWithPlanner, type BuildContext, type Planner } from '../../src/instrument/engine.js';
import type { PatchKind, TextEdit } from '../../src/instrument/types.js';
import { ExitCode, ExpkitError } from '../../src/core/errors.js';
import type { PythonParser } from '../../src/parser/index.js';
import { describeWith, SYSTEM_PYTHON } from '../support/components.js';
import { insertLines, sourceFrom, testParser } from './engine-support.js';

const SCRIPT = [
  'import argparse', //             1
  'import random', //               2
  '', //                            3
  'if __name__ == "__main__":', //  4
  '    parser = argparse.ArgumentParser()', // 5
  '    args = parser.parse_args()', // 6
  '    print(args)', //             7
  '',
].join('\n');

/** A test planner: --wandb reads `args` above the guard (bad), --seed seeds after the imports (good), --checkpoint reads `state` nowhere bound (bad). */
const planner: Planner = (_parser, _analysis, src, options) => {
  const edits: TextEdit[] = [];
  const skipped: { kind: PatchKind; reason: string }[] = [];
  if (options.wandb) edits.push(insertLines(src, 3, ['import wandb', 'wandb.init(config=vars(args))'], 'wandb'));
  if (options.seed) edits.push(insertLines(src, 3, ['random.seed(0)'], 'seed'));
  if (options.checkpoint) edits.push(insertLines(src, 8, ['    print(state)'], 'checkpoint'));
  return { edits, warnings: [], skipped };
};

let parser: PythonParser;
beforeAll(async () => {
  parser = await testParser();
});
const ctx = (): BuildContext => ({ parser, displayPath: 'train.py', python: SYSTEM_PYTHON });
const seed = { value: 0, deterministic: false };

describeWith('python3', existsSync(SYSTEM_PYTHON))('instrumentWithPlanner and unbound reads', () => {
  test('a bad wandb edit is skipped with the reason; the good seed edit is offered', async () => {
    const built = await instrumentWithPlanner(sourceFrom(SCRIPT), { wandb: {}, seed }, ctx(), planner);
    expect(built.plan.edits.map((e) => e.kind)).toEqual(['seed']);
    expect(built.plan.skipped).toEqual([
      { kind: 'wandb', reason: 'not offered: the patch would read `args` at line 3 where it is not assigned on every path (placement bug; please report the script)' },
    ]);
    expect(built.diff).toContain('+random.seed(0)  # expkit');
    expect(built.diff).not.toContain('wandb');
  });

  test('two bad kinds are both skipped, each with its own read', async () => {
    const built = await instrumentWithPlanner(sourceFrom(SCRIPT), { wandb: {}, seed, checkpoint: { every: 1, dir: 'c' } }, ctx(), planner);
    expect(built.plan.edits.map((e) => e.kind)).toEqual(['seed']);
    expect(built.plan.skipped.map((s) => [s.kind, s.reason.match(/`(\w+)`/)?.[1]])).toEqual([
      ['wandb', 'args'],
      ['checkpoint', 'state'],
    ]);
  });

  test('only bad kinds: nothing to offer, every kind says why', async () => {
    const built = await instrumentWithPlanner(sourceFrom(SCRIPT), { wandb: {} }, ctx(), planner);
    expect(built.diff).toBe('');
    expect(built.plan.edits).toEqual([]);
    expect(built.plan.skipped.map((s) => s.kind)).toEqual(['wandb']);
  });

  test('when the plan without the bad kinds still reads an unbound name, the patch is refused (exit 3)', async () => {
    // This planner misplaces seed only when wandb is not asked for: the re-plan is what fails.
    const flaky: Planner = (p, a, src, options) =>
      options.wandb ? planner(p, a, src, options) : { edits: [insertLines(src, 3, ['random.seed(args.seed)'], 'seed')], warnings: [], skipped: [] };
    let error: unknown;
    try {
      await instrumentWithPlanner(sourceFrom(SCRIPT), { wandb: {}, seed }, ctx(), flaky);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpkitError);
    expect((error as ExpkitError).exitCode).toBe(ExitCode.Refused);
    expect((error as ExpkitError).message).toBe(
      'the patched train.py would read `args` (seed, line 3 of the patched file) where it is not assigned on every path; nothing was changed',
    );
  });
});
