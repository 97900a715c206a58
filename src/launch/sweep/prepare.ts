/** Preparing a sweep launch: a new expansion, or the runs of a recorded one that --resume restarts. */
import { randomBytes } from 'node:crypto';
import { loadRun } from '../registry.js';
import { viewRun } from '../view.js';
import { planRuns } from './expand.js';
import type { Params } from './params.js';
import { entriesOf, entriesToResume, planSweep, type SweepFlags } from './plan.js';
import { readSweepRecord, type SweepRecord } from './record.js';
import { scriptFlags } from './script-flags.js';

export interface SweepRunToStart {
  /** Index in record.runs. */
  entry: number;
  seed: number | null;
  params: Params;
  /** The name tried first. */
  name: string;
}

export interface PreparedSweep {
  record: SweepRecord;
  /** True for a new sweep: its folder is still to be claimed. */
  isNew: boolean;
  toStart: SweepRunToStart[];
}

export function isSweepLaunch(o: { grid?: string[]; range?: string[]; sample?: number; sweep?: string; resume?: boolean }): boolean {
  return Boolean(o.grid?.length || o.range?.length || o.sample !== undefined || o.sweep !== undefined || o.resume);
}

export interface NewSweepInput {
  name: string;
  argv: string[];
  cwd: string;
  backend: string;
  createdAt: Date;
  flags: SweepFlags;
}

export async function prepareNewSweep(i: NewSweepInput): Promise<PreparedSweep> {
  const plan = planSweep(i.name, i.flags, randomBytes(4).readUInt32BE(0));
  const flags = await scriptFlags(i.argv, i.cwd, Object.keys(plan.configs[0] ?? {}));
  const record: SweepRecord = {
    schemaVersion: 1,
    name: i.name,
    createdAt: i.createdAt.toISOString(),
    command: i.argv,
    cwd: i.cwd,
    backend: i.backend,
    grid: plan.grid,
    ranges: plan.ranges,
    sample: i.flags.sample,
    sampleSeed: plan.sampleSeed,
    seeds: [...i.flags.seeds],
    flags,
    configs: plan.configs,
    runs: entriesOf(plan.runs),
  };
  return { record, isNew: true, toStart: plan.runs.map((r, entry) => ({ entry, seed: r.seed, params: r.params, name: r.name })) };
}

/** The same sweep under the name its folder was claimed as (a derived name may have become NAME-2). */
export function renamed(p: PreparedSweep, name: string): PreparedSweep {
  if (name === p.record.name) return p;
  const names = planRuns(name, p.record.configs, p.record.seeds).map((r) => r.name);
  return { ...p, record: { ...p.record, name }, toStart: p.toStart.map((t) => ({ ...t, name: names[t.entry] })) };
}

async function runState(runs: string, name: string): Promise<string | null> {
  try {
    const { dir, manifest } = loadRun(runs, name);
    return (await viewRun(dir, manifest, false)).state;
  } catch {
    return null; // removed or unreadable: start it again
  }
}

export async function prepareResume(home: string, runs: string, name: string): Promise<PreparedSweep> {
  const record = readSweepRecord(home, name);
  const states = new Map<string, string | null>();
  for (const e of record.runs) if (e.run !== null) states.set(e.run, await runState(runs, e.run));
  const indices = entriesToResume(record.runs, (run) => states.get(run) ?? null);
  const names = planRuns(record.name, record.configs, record.seeds).map((r) => r.name);
  return { record, isNew: false, toStart: indices.map((entry) => ({ entry, seed: record.runs[entry].seed, params: record.runs[entry].params, name: names[entry] })) };
}
