/**
 * What `expkit launch SLUG` will run, read the way the scaffold's run.sh decides it: the
 * interpreter (PYTHON, else run.sh's default, after activating CONDA_ENV or VENV) and the seeds
 * (SEEDS, else config.yaml's). The run record must say what ran, not what is on the launcher's
 * PATH. Pure: the caller reads the files and resolves paths.
 */
import { parse } from 'yaml';

export interface RunShInterpreter {
  /** The interpreter as run.sh names it (a command or a path). */
  python: string;
  /** The virtualenv run.sh activates (relative to the project root), or null. */
  venv: string | null;
  /** The conda environment run.sh activates, or null. */
  condaEnv: string | null;
}

/** The value of run.sh's `NAME='…'` line (written by the scaffold with shQuote), or null. */
export function runShLiteral(text: string, name: string): string | null {
  const m = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
  if (!m) return null;
  const raw = m[1].trim();
  if (!raw.startsWith("'")) return raw;
  // '…' pieces joined by \' (shQuote's escape for a single quote).
  return raw.replace(/^'|'$/g, '').split(`'\\''`).join("'");
}

/** run.sh's choice, given the environment the run starts with. */
export function runShInterpreter(text: string, env: NodeJS.ProcessEnv): RunShInterpreter {
  // `${CONDA_ENV-default}`: a variable that is set wins, even empty.
  const condaEnv = env.CONDA_ENV !== undefined ? env.CONDA_ENV : runShLiteral(text, 'default_conda_env') ?? '';
  const venv = env.VENV !== undefined ? env.VENV : runShLiteral(text, 'default_venv') ?? '';
  const python = env.PYTHON || runShLiteral(text, 'default_python') || 'python3';
  return { python, condaEnv: condaEnv || null, venv: condaEnv ? null : venv || null };
}

/** The seeds run.sh runs without --seeds: `SEEDS` (space-separated), else config.yaml's `seeds`. */
export function runShSeeds(configYaml: string | null, seedsVar: string | undefined): number[] {
  if (seedsVar && seedsVar.trim()) return seedsVar.trim().split(/\s+/).filter((s) => /^\d+$/.test(s)).map(Number);
  if (configYaml === null) return [];
  let seeds: unknown;
  try {
    seeds = (parse(configYaml) as { seeds?: unknown } | null)?.seeds;
  } catch {
    return [];
  }
  return Array.isArray(seeds) ? seeds.filter((s): s is number => Number.isSafeInteger(s) && s >= 0) : [];
}
