/** Pure parsing of launch flags. */
import { ExitCode, ExpkitError } from '../core/errors.js';
import type { SlurmResources } from '../backends/types.js';
import { isValidSeed, SEED_RANGE_TEXT } from '../core/seeds.js';

export function parseSeeds(value: string | undefined): number[] {
  if (value === undefined) return [];
  if (!/^\d+(,\d+)*$/.test(value.trim())) {
    throw new ExpkitError(`invalid --seeds ${JSON.stringify(value)}: use a comma-separated list of integers like 1,2,3`, { exitCode: ExitCode.Usage });
  }
  const words = value.trim().split(',');
  // Number() rounds past 2^53 (99999999999999999999 became 100000000000000000000): check the range first.
  const bad = words.find((w) => w.replace(/^0+(?=\d)/, '').length > 10 || !isValidSeed(Number(w)));
  if (bad !== undefined) throw new ExpkitError(`invalid seed ${bad} in --seeds: a seed is ${SEED_RANGE_TEXT}`, { exitCode: ExitCode.Usage });
  const seeds = words.map(Number);
  if (new Set(seeds).size !== seeds.length) throw new ExpkitError(`--seeds repeats a seed: ${value}`, { exitCode: ExitCode.Usage });
  return seeds;
}

/** The command for one seed: `$SEED`/`{seed}` placeholders are replaced, else `--seed N` is appended. */
export function commandForSeed(argv: readonly string[], seed: number | null, passSeedFlag: boolean): string[] {
  if (seed === null) return [...argv];
  const hasPlaceholder = argv.some((a) => a.includes('$SEED') || a.includes('{seed}'));
  if (hasPlaceholder) return argv.map((a) => a.split('$SEED').join(String(seed)).split('{seed}').join(String(seed)));
  return passSeedFlag ? [...argv, '--seed', String(seed)] : [...argv];
}

/** SLURM resources from the spec's `setup.hardware`, overridden by flags. */
export function slurmResources(hardware: unknown, flags: SlurmResources, gpuCount: number | null): SlurmResources {
  const h = (hardware && typeof hardware === 'object' ? hardware : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const specGpus = typeof h.gpus === 'number' ? h.gpus : Number.isFinite(Number(h.gpus)) ? Number(h.gpus) : undefined;
  const gpus = gpuCount ?? specGpus;
  const cpus = Number(h.cpus ?? h.cpus_per_task ?? h.cpusPerTask);
  return {
    partition: flags.partition ?? str(h.partition),
    gres: flags.gres ?? (gpus ? `gpu:${gpus}` : undefined),
    cpusPerTask: flags.cpusPerTask ?? (Number.isFinite(cpus) && cpus > 0 ? cpus : undefined),
    mem: flags.mem ?? str(h.mem ?? h.memory),
    time: flags.time ?? str(h.time),
  };
}
