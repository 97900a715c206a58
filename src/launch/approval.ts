/**
 * Approval of a launch by hash (`specHash`): what `launch --dry-run` shows, and what
 * `launch --spec-hash H` must still match to start. The hash covers the bytes of the files that
 * decide what runs (the spec, and for `launch SLUG` the experiment's run.sh and config.yaml) and
 * the resolved plan (backend, commands per seed, seeds, dependencies, resources), so an edited
 * spec or script, or other flags, cannot start under an approval given for something else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvalId } from '../core/approval-id.js';
import { commandForSeed } from './options.js';

/** The flags of `expkit launch` that change what starts (not --json or --yes). */
export interface LaunchPlanFlags {
  name?: string;
  gpus: string;
  after?: string;
  smoke?: boolean;
  stopOn?: string;
  partition?: string;
  gres?: string;
  cpusPerTask?: number;
  mem?: string;
  time?: string;
}

export interface LaunchPlan {
  slug: string | null;
  /** Relative to the project root, or null without a spec. */
  specPath: string | null;
  backend: string;
  /** One entry per run that would start. */
  runs: { seed: number | null; command: string[] }[];
  /** The seeds the run(s) cover (for `launch SLUG` without --seeds: SEEDS, else config.yaml's). */
  seeds: number[];
  flags: LaunchPlanFlags;
}

export function launchPlan(input: { slug: string | null; specPath: string | null; backend: string; argv: string[]; seeds: number[]; recordedSeeds: number[]; flags: LaunchPlanFlags }): LaunchPlan {
  const seedList: (number | null)[] = input.seeds.length ? input.seeds : [null];
  const f = input.flags;
  return {
    slug: input.slug,
    specPath: input.specPath,
    backend: input.backend,
    runs: seedList.map((seed) => ({ seed, command: commandForSeed(input.argv, seed, !input.slug) })),
    seeds: input.recordedSeeds,
    // Fixed key order, undefined left out: the same flags always hash the same.
    flags: JSON.parse(JSON.stringify({ name: f.name, gpus: f.gpus, after: f.after, smoke: Boolean(f.smoke), stopOn: f.stopOn, partition: f.partition, gres: f.gres, cpusPerTask: f.cpusPerTask, mem: f.mem, time: f.time })),
  };
}

/** The files whose bytes the hash covers: absent ones count as absent, not as empty. */
export function approvedFiles(root: string, plan: LaunchPlan): { label: string; bytes: Buffer | null }[] {
  const read = (path: string): Buffer | null => {
    try {
      return readFileSync(path);
    } catch {
      return null;
    }
  };
  const files = [{ label: 'spec', bytes: plan.specPath ? read(join(root, plan.specPath)) : null }];
  if (plan.slug) {
    const code = join(root, 'experiments', 'code', plan.slug);
    files.push({ label: 'run.sh', bytes: read(join(code, 'run.sh')) }, { label: 'config.yaml', bytes: read(join(code, 'config.yaml')) });
  }
  return files;
}

export function launchSpecHash(plan: LaunchPlan, files: { label: string; bytes: Buffer | null }[]): string {
  const parts: (string | Buffer)[] = [JSON.stringify(plan)];
  for (const f of files) parts.push(f.label, f.bytes === null ? 'absent' : 'present', f.bytes ?? '');
  return approvalId('expkit-launch-plan-v1', parts);
}

export function dryRunText(plan: LaunchPlan, specHash: string): string {
  const lines = [`dry run, nothing started: ${plan.runs.length} run(s) on ${plan.backend}${plan.slug ? ` for experiment ${plan.slug}` : ''}${plan.specPath ? ` (spec ${plan.specPath})` : ''}`];
  for (const r of plan.runs) lines.push(`  ${r.seed === null ? '' : `seed ${r.seed}: `}${r.command.join(' ')}`);
  if (plan.seeds.length) lines.push(`seeds: ${plan.seeds.join(', ')}`);
  if (plan.flags.smoke) lines.push('a --smoke run comes first, in the foreground');
  lines.push(`spec hash: ${specHash} (start exactly this with --spec-hash ${specHash})`);
  return lines.join('\n') + '\n';
}

export function dryRunJson(plan: LaunchPlan, specHash: string): string {
  return JSON.stringify({ schemaVersion: 1, dryRun: true, ...plan, specHash }, null, 2) + '\n';
}
