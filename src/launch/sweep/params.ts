/** Parsing `--grid KEY=V1,V2` and `--range KEY=DIST:…` into sweep axes. Pure. */
import { ExitCode, ExpkitError } from '../../core/errors.js';

/** A parameter value as the script receives it: the flag text, and the JSON value for `$EXPKIT_PARAMS`. */
export type ParamValue = string | number;
export type Params = Record<string, ParamValue>;

export interface GridAxis {
  key: string;
  values: ParamValue[];
}

export type Distribution =
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'loguniform'; low: number; high: number }
  | { kind: 'choice'; values: ParamValue[] };

export interface RangeAxis {
  key: string;
  distribution: Distribution;
}

/** Python-identifier-like keys (dots allowed for nested configs): they become flags and JSON keys. */
const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function bad(message: string): ExpkitError {
  return new ExpkitError(message, { exitCode: ExitCode.Usage });
}

/** `32` → 32, `1e-3` → 0.001, `adam` → 'adam': numbers stay numbers in `$EXPKIT_PARAMS`. */
export function paramValue(text: string): ParamValue {
  // `007` stays text: as a number it would reach the script as `7`.
  return NUMBER_RE.test(text) && !/^[-+]?0\d/.test(text) && Number.isFinite(Number(text)) ? Number(text) : text;
}

function splitAssignment(flag: string, spec: string): [string, string] {
  const eq = spec.indexOf('=');
  if (eq === -1) throw bad(`invalid ${flag} ${JSON.stringify(spec)}: use KEY=VALUES, e.g. ${flag === '--grid' ? 'lr=1e-3,3e-4' : 'lr=loguniform:1e-5:1e-2'}`);
  const key = spec.slice(0, eq);
  if (!KEY_RE.test(key)) throw bad(`invalid ${flag} ${JSON.stringify(spec)}: the key ${JSON.stringify(key)} must be a name like lr or batch_size`);
  const rest = spec.slice(eq + 1);
  if (rest.trim() === '') throw bad(`invalid ${flag} ${JSON.stringify(spec)}: no values after ${key}=`);
  return [key, rest];
}

/** `a,b,c` with no empty item and no repeat (a repeat would launch the same run twice). */
function valueList(flag: string, spec: string, text: string): ParamValue[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw bad(`invalid ${flag} ${JSON.stringify(spec)}: an empty value in the list`);
  if (new Set(items).size !== items.length) throw bad(`invalid ${flag} ${JSON.stringify(spec)}: a value is repeated`);
  return items.map(paramValue);
}

export function parseGridAxis(spec: string): GridAxis {
  const [key, rest] = splitAssignment('--grid', spec);
  return { key, values: valueList('--grid', spec, rest) };
}

function bound(spec: string, text: string | undefined): number {
  if (text === undefined || !NUMBER_RE.test(text.trim())) throw bad(`invalid --range ${JSON.stringify(spec)}: bounds must be numbers, e.g. uniform:0:0.5`);
  return Number(text);
}

export function parseRangeAxis(spec: string): RangeAxis {
  const [key, rest] = splitAssignment('--range', spec);
  const colon = rest.indexOf(':');
  const kind = colon === -1 ? rest : rest.slice(0, colon);
  const args = colon === -1 ? '' : rest.slice(colon + 1);
  if (kind === 'choice') return { key, distribution: { kind, values: valueList('--range', spec, args) } };
  if (kind !== 'uniform' && kind !== 'loguniform') {
    throw bad(`invalid --range ${JSON.stringify(spec)}: unknown distribution ${JSON.stringify(kind)} (use uniform:LOW:HIGH, loguniform:LOW:HIGH or choice:A,B,C)`);
  }
  const parts = args.split(':');
  if (parts.length !== 2) throw bad(`invalid --range ${JSON.stringify(spec)}: ${kind} takes two bounds, ${kind}:LOW:HIGH`);
  const [low, high] = [bound(spec, parts[0]), bound(spec, parts[1])];
  if (!(low < high)) throw bad(`invalid --range ${JSON.stringify(spec)}: the low bound must be below the high one`);
  if (kind === 'loguniform' && low <= 0) throw bad(`invalid --range ${JSON.stringify(spec)}: loguniform bounds must be above 0`);
  return { key, distribution: { kind, low, high } };
}

/** All axes of a sweep; a key may appear once across --grid and --range. */
export function parseAxes(grid: readonly string[], ranges: readonly string[]): { grid: GridAxis[]; ranges: RangeAxis[] } {
  const g = grid.map(parseGridAxis);
  const r = ranges.map(parseRangeAxis);
  const seen = new Set<string>();
  for (const { key } of [...g, ...r]) {
    if (seen.has(key)) throw bad(`the sweep key ${key} is given twice (in --grid/--range): give each key once`);
    seen.add(key);
  }
  return { grid: g, ranges: r };
}
