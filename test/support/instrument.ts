/** Instrumenting fixture text in tests: plan with the real analyzer and planner, then splice. */
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../src/analyze/index.js';
import { makeSourceText } from '../../src/core/source-text.js';
import { planPatches } from '../../src/instrument/plan.js';
import { spliceEdits } from '../../src/instrument/splice.js';
import type { InstrumentOptions, PatchPlan } from '../../src/instrument/types.js';
import { loadWasmParser } from '../../src/parser/wasm.js';
import { FIXTURES, fixturePath } from './fixtures.js';
import { SYSTEM_PYTHON } from './components.js';
import { tempDir } from './temp.js';

export const WANDB_STUB = join(FIXTURES, '..', 'test', 'support', 'wandb-stub');

/** The instrumented text of `source` (WASM parser: these tests run in jest workers next to native ones). */
let wasm: ReturnType<typeof loadWasmParser> | undefined;

export async function instrumentText(source: string, options: InstrumentOptions, file = 'train.py'): Promise<{ text: string; plan: PatchPlan }> {
  const parser = await (wasm ??= loadWasmParser());
  const src = makeSourceText(source);
  const analysis = analyzeSource(parser, src, file);
  const plan = planPatches(parser, analysis, src, options);
  // The engine's own splice: insertions at the same place go in the order they were planned.
  const text = spliceEdits(src, plan.edits);
  return { text: (src.hasBom ? '\uFEFF' : '') + text, plan };
}

export function fixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export interface WandbCall {
  call: 'init' | 'log' | 'finish';
  pid: number;
  rank: string | null;
  config?: Record<string, unknown>;
  project?: string;
  id?: string | null;
  resume?: string | null;
  data?: Record<string, number>;
  step?: number;
}

export function readWandbLog(path: string): WandbCall[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as WandbCall);
}

/** A fresh directory for one instrumented run. */
export function runDir(): string {
  return tempDir('expkit-run-');
}

/** Run a script with Debian's python3 and the recording wandb stand-in (its log: DIR/wandb.jsonl). */
export function runPython(dir: string, script: string, args: string[], env: Record<string, string> = {}) {
  return execa(SYSTEM_PYTHON, [script, ...args], {
    cwd: dir,
    reject: false,
    env: { PYTHONPATH: WANDB_STUB, WANDB_STUB_LOG: join(dir, 'wandb.jsonl'), PYTHONHASHSEED: 'random', EXPKIT_CHECKPOINT_SECONDS: '0', ...env },
  });
}

/** Instrument a fixture (every requested kind must be placed) and write it into `dir`. */
export async function writeInstrumented(dir: string, name: string, source: string, options: InstrumentOptions): Promise<{ path: string; text: string; plan: PatchPlan }> {
  const { text, plan } = await instrumentText(source, options, name);
  expect(plan.skipped).toEqual([]);
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, text, plan };
}

/** A style's input script, fixtures/instrument/<style>/input.py (the layout of issue 8, section 6). */
export function styleInput(style: string): string {
  return fixture(`${style}.py`);
}
