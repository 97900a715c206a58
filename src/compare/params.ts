/**
 * A run's parameters: the manifest's `params` (sweeps record them) when present, else the flags of
 * its command (`--lr 0.1`, `--lr=0.1`, `--fp16`). The seed is not a parameter: seeds are the
 * repetitions a configuration is averaged over. Pure.
 */
export type Params = Record<string, string>;

const SEED_KEYS = new Set(['seed', 'seeds']);

function flagName(arg: string): string | null {
  const m = /^--?([A-Za-z][\w.-]*)$/.exec(arg);
  return m ? m[1].replace(/-/g, '_') : null;
}

export function paramsFromCommand(argv: readonly string[]): Params {
  const out: Params = {};
  for (let i = 0; i < argv.length; i++) {
    const eq = /^--([A-Za-z][\w.-]*)=(.*)$/s.exec(argv[i]);
    if (eq) {
      out[eq[1].replace(/-/g, '_')] = eq[2];
      continue;
    }
    const name = flagName(argv[i]);
    if (!name) continue;
    const next = argv[i + 1];
    // A value unless it is the next flag (a negative number is a value).
    if (next !== undefined && (flagName(next) === null || /^-\d/.test(next))) {
      out[name] = next;
      i++;
    } else {
      out[name] = 'true';
    }
  }
  return out;
}

export function paramsOf(manifest: { command: readonly string[]; params?: unknown }): Params {
  const recorded = manifest.params;
  const raw: Record<string, unknown> = recorded && typeof recorded === 'object' && !Array.isArray(recorded) ? (recorded as Record<string, unknown>) : paramsFromCommand(manifest.command);
  const out: Params = {};
  for (const [k, v] of Object.entries(raw)) if (!SEED_KEYS.has(k)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/**
 * The names whose values differ between runs (a name some runs lack differs too). When none do
 * but the commands do (positional arguments, other scripts), the command itself is the parameter.
 */
export function differingParams(all: readonly Params[], commands: readonly string[]): { names: string[]; byCommand: boolean } {
  const names = new Set<string>();
  for (const p of all) for (const k of Object.keys(p)) names.add(k);
  const differing = [...names].filter((k) => new Set(all.map((p) => p[k] ?? '\u0000')).size > 1).sort();
  if (differing.length === 0 && new Set(commands).size > 1) return { names: ['command'], byCommand: true };
  return { names: differing, byCommand: false };
}
