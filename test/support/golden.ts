/**
 * The golden fixtures of `expkit instrument` (fixtures/instrument/README.md): which flag sets a style
 * directory holds, the fixed options each flag set means, and the engine run that produces the patch.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instrumentWithPlanner, type BuiltPatch } from '../../src/instrument/engine.js';
import { PATCH_KINDS, type InstrumentOptions, type PatchKind, type PatchPlan } from '../../src/instrument/types.js';
import { readSourceFile } from '../../src/io/read-source.js';
import { loadWasmParser } from '../../src/parser/wasm.js';
import { SYSTEM_PYTHON } from './components.js';
import { STYLES } from './fixtures.js';

/** A flag set: 'all' (--wandb --seed --checkpoint) or kinds joined by '-' in flag order ('wandb', 'seed-checkpoint'). */
export type FlagSet = string;

/** The flag sets every style gets when expected files are written: each kind alone, then all three. */
export const DEFAULT_FLAG_SETS: readonly FlagSet[] = ['wandb', 'seed', 'checkpoint', 'all'];

const FILE = /^(expected|skipped|left-out)\.([a-z]+(?:-[a-z]+)*)\.(py|json|txt)$/;

export function kindsOf(flags: FlagSet): PatchKind[] {
  if (flags === 'all') return [...PATCH_KINDS];
  const kinds = flags.split('-');
  for (const k of kinds) if (!(PATCH_KINDS as readonly string[]).includes(k)) throw new Error(`unknown kind "${k}" in flag set "${flags}"`);
  const ordered = PATCH_KINDS.filter((k) => kinds.includes(k));
  if (ordered.join('-') !== flags) throw new Error(`flag set "${flags}": name the kinds once each, in the order ${PATCH_KINDS.join(', ')}`);
  return ordered;
}

/** The fixed options of the golden outputs (the CLI's defaults, with a project name). */
export function optionsFor(flags: FlagSet): InstrumentOptions {
  const kinds = kindsOf(flags);
  return {
    ...(kinds.includes('wandb') ? { wandb: { project: 'golden' } } : {}),
    ...(kinds.includes('seed') ? { seed: { value: 42, deterministic: false } } : {}),
    ...(kinds.includes('checkpoint') ? { checkpoint: { every: 1, dir: 'checkpoints' } } : {}),
  };
}

export interface StyleFiles {
  dir: string;
  input: string;
  /** Flag sets with an expected output or skip reasons: the ones the golden test checks. */
  checked: FlagSet[];
  /** Flag sets left out on purpose (left-out.<flags>.txt says why). */
  leftOut: FlagSet[];
  /** Files in the directory that are none of the above (a typo in a name). */
  unknown: string[];
}

export function styleFiles(style: string): StyleFiles {
  const dir = join(STYLES, style);
  const checked = new Set<FlagSet>();
  const leftOut: FlagSet[] = [];
  const unknown: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'input.py') continue;
    const m = FILE.exec(name);
    const ext = m && { expected: 'py', skipped: 'json', 'left-out': 'txt' }[m[1]!];
    if (!m || m[3] !== ext) unknown.push(name);
    else if (m[1] === 'left-out') leftOut.push(m[2]!);
    else checked.add(m[2]!);
  }
  return { dir, input: join(dir, 'input.py'), checked: [...checked].sort(byFlagOrder), leftOut: leftOut.sort(byFlagOrder), unknown };
}

function byFlagOrder(a: FlagSet, b: FlagSet): number {
  const rank = (f: FlagSet) => (DEFAULT_FLAG_SETS.indexOf(f) + 1 || 99);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export const expectedPath = (style: string, flags: FlagSet) => join(STYLES, style, `expected.${flags}.py`);
export const skippedPath = (style: string, flags: FlagSet) => join(STYLES, style, `skipped.${flags}.json`);

/** The expected output, or null when the flag set changes nothing (the output must equal input.py). */
export function readExpected(style: string, flags: FlagSet): Buffer | null {
  const path = expectedPath(style, flags);
  return existsSync(path) ? readFileSync(path) : null;
}

/** The expected skip reasons, in the order the plan reports them ([] when there is no skipped file). */
export function readSkipped(style: string, flags: FlagSet): PatchPlan['skipped'] {
  const path = skippedPath(style, flags);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PatchPlan['skipped']) : [];
}

/** The skipped file's text: one {kind, reason} per line, so a reviewer reads each reason whole. */
export function skippedText(skipped: PatchPlan['skipped']): string {
  return `[\n${skipped.map((s) => `  ${JSON.stringify({ kind: s.kind, reason: s.reason })}`).join(',\n')}\n]\n`;
}

let parser: ReturnType<typeof loadWasmParser> | undefined;

/**
 * What `expkit instrument <style>.py <flags>` previews: the real analyzer, planner and engine (compile
 * and scope checks with the system Python, kinds that read unbound names dropped with a reason). The
 * script is named `<style>.py`, so checkpoint paths read `checkpoints/<style>/…`.
 */
export async function instrumentStyle(style: string, flags: FlagSet): Promise<BuiltPatch> {
  const file = readSourceFile(join(STYLES, style, 'input.py'));
  return instrumentWithPlanner(file, optionsFor(flags), { parser: await (parser ??= loadWasmParser()), displayPath: `${style}.py`, python: SYSTEM_PYTHON });
}
