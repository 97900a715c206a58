/** The sweep record, `<home>/sweeps/NAME/sweep.json`: the expansion and the runs that carry it out. */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../../core/errors.js';
import { assertValidName } from '../../core/names.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { uniqueCandidate } from '../names.js';
import type { GridAxis, Params, RangeAxis } from './params.js';

export const SWEEP_FILE = 'sweep.json';

export interface SweepRunEntry {
  config: number;
  seed: number | null;
  params: Params;
  /** The run that carries this entry out now (null: not started yet). */
  run: string | null;
  /** Earlier runs of this entry that did not succeed, oldest first (kept by --resume). */
  previous: string[];
}

export interface SweepRecord {
  schemaVersion: 1;
  name: string;
  createdAt: string;
  /** The command before parameters and seeds are added, and where it runs. */
  command: string[];
  cwd: string;
  backend: string;
  grid: GridAxis[];
  ranges: RangeAxis[];
  sample: number | null;
  sampleSeed: number | null;
  seeds: number[];
  /** The script flag each key is passed as. */
  flags: Record<string, string>;
  configs: Params[];
  runs: SweepRunEntry[];
}

export function sweepsDir(home: string): string {
  return join(home, 'sweeps');
}

/**
 * Takes the sweep's folder (mkdir fails when the name is taken, so two launches never share one).
 * A given name that is taken is refused (exit 3, as for --name); a derived one gets `-2`, `-3`…
 */
export function claimSweepDir(home: string, base: string, exact: boolean): string {
  assertValidName('sweep name', base);
  mkdirSync(sweepsDir(home), { recursive: true });
  for (let attempt = 0; attempt < 1000; attempt++) {
    const name = uniqueCandidate(base, attempt);
    try {
      mkdirSync(join(sweepsDir(home), name));
      return name;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (exact) throw new ExpkitError(`a sweep named ${name} already exists`, { exitCode: ExitCode.Refused, hint: `resume it with expkit launch --sweep ${name} --resume, or choose another --sweep` });
    }
  }
  throw new ExpkitError(`could not find a free sweep name starting with ${base}`, { exitCode: ExitCode.Refused });
}

export function releaseSweepDir(home: string, name: string): void {
  rmSync(join(sweepsDir(home), name), { recursive: true, force: true });
}

export function writeSweepRecord(home: string, record: SweepRecord): void {
  writeFileAtomic(join(sweepsDir(home), record.name, SWEEP_FILE), JSON.stringify(record, null, 2) + '\n');
}

export function readSweepRecord(home: string, name: string): SweepRecord {
  assertValidName('sweep name', name);
  let text: string;
  try {
    text = readFileSync(join(sweepsDir(home), name, SWEEP_FILE), 'utf8');
  } catch {
    throw new ExpkitError(`no sweep named ${name}`, { exitCode: ExitCode.Usage, hint: `sweeps are recorded in ${sweepsDir(home)}` });
  }
  try {
    const record = JSON.parse(text) as SweepRecord;
    if (record.schemaVersion !== 1 || !Array.isArray(record.runs) || !Array.isArray(record.command)) throw new Error('unexpected shape');
    return record;
  } catch (err) {
    throw new ExpkitError(`the record of sweep ${name} cannot be read (${(err as Error).message}); it was left as it is`, { exitCode: ExitCode.Usage });
  }
}
