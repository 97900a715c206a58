/** Passing a run's parameters to its script as flags in the script's own style. Pure. */
import { basename } from 'node:path';
import type { ConfigArgument } from '../../analyze/types.js';
import type { Params } from './params.js';

const PYTHON_RE = /^python[0-9.]*$/;

/** The script of `python [opts] SCRIPT.py …`, or null (a module, `-c`, another program). */
export function pythonScript(argv: readonly string[]): string | null {
  if (argv.length < 2 || !PYTHON_RE.test(basename(argv[0]))) return null;
  for (const word of argv.slice(1)) {
    if (word === '-m' || word === '-c') return null;
    if (!word.startsWith('-')) return word.endsWith('.py') ? word : null;
  }
  return null;
}

/**
 * The flag for each key: the script's own flag whose dest is the key (`batch_size` → `--batch-size`),
 * preferring a long one; else `--KEY`.
 */
export function flagsFor(keys: readonly string[], args: readonly ConfigArgument[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const arg = args.find((a) => a.dest === key && a.flags.some((f) => f.startsWith('-')));
    out[key] = arg?.flags.find((f) => f.startsWith('--')) ?? arg?.flags.find((f) => f.startsWith('-')) ?? `--${key}`;
  }
  return out;
}

/** The command with each parameter set: an existing `--flag V`/`--flag=V` is replaced, else `--flag V` appended. */
export function commandWithParams(argv: readonly string[], params: Params, flags: Record<string, string>): string[] {
  const out = [...argv];
  for (const [key, value] of Object.entries(params)) {
    const flag = flags[key] ?? `--${key}`;
    const text = String(value);
    const at = out.findIndex((w) => w === flag || w.startsWith(`${flag}=`));
    if (at === -1) out.push(flag, text);
    else if (out[at] === flag && at + 1 < out.length) out[at + 1] = text;
    else out[at] = `${flag}=${text}`;
  }
  return out;
}
