import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { exec } from '../io/exec.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { writeFileAtomic } from '../io/atomic.js';
import { backendFor, resolveBackendName } from '../backends/index.js';
import type { StartRequest } from '../backends/types.js';
import { envFileText, wandbSettings } from '../launch/env.js';
import { chooseGpus, NVIDIA_SMI_ARGS, parseGpuList } from '../launch/gpus.js';
import { resolveTarget } from '../launch/target.js';
import type { Manifest } from '../launch/manifest.js';
import { newManifest, runEnv } from '../launch/record.js';
import { deriveRunName } from '../launch/names.js';
import { commandForSeed, parseSeeds, slurmResources } from '../launch/options.js';
import { expkitHome, projectRoot, RUN_FILES, runsDir } from '../launch/paths.js';
import { ensureRunsDir } from '../launch/home.js';
import { capturePython, captureGit, pythonAt, resolveRunShPython } from '../launch/provenance.js';
import { claimRunDir, loadRun, writeManifest } from '../launch/registry.js';
import { runShInterpreter, runShSeeds } from '../launch/slug-run.js';
import { identityOf } from '../backends/proc.js';
import { viewRun } from '../launch/view.js';
import { commandOnPath } from '../launch/which.js';
import { claimSpec } from '../launch/spec-lock.js';
import { parseStopOn } from '../launch/stop-on.js';
import { wrapperScript } from '../launch/wrapper.js';
import { printLaunched } from '../printers/launch.js';
import { runSmoke } from '../launch/smoke.js';
import { sameApprovalId } from '../core/approval-id.js';
import { isSweepLaunch, prepareNewSweep, prepareResume, renamed, type PreparedSweep } from '../launch/sweep/prepare.js';
import { claimSweepDir, releaseSweepDir, writeSweepRecord } from '../launch/sweep/record.js';
import { commandWithParams } from '../launch/sweep/flags.js';
import type { Params } from '../launch/sweep/params.js';

export interface LaunchOptions {
  backend: string;
  name?: string;
  gpus: string;
  seeds?: string;
  after?: string;
  smoke?: boolean;
  stopOn?: string;
  json?: boolean;
  partition?: string;
  gres?: string;
  /** Parsed by the CLI. */
  cpusPerTask?: number;
  mem?: string;
  time?: string;
  /** Print what would start (and its specHash); start nothing. */
  dryRun?: boolean;
  /** The specHash of an approved dry run: start only if the plan is still exactly that. */
  specHash?: string;
  /** Sweeps (src/launch/sweep/): `--grid KEY=A,B`, `--range KEY=DIST`, `--sample N`. */
  grid?: string[];
  range?: string[];
  sample?: number;
  sampleSeed?: number;
  sweep?: string;
  /** Restart the runs of sweep `--sweep` that did not succeed. */
  resume?: boolean;
  yes?: boolean;
}

/** One run this launch starts. */
interface PlannedStart {
  seed: number | null;
  params: Params | null;
  name: string;
}

function usage(message: string): ExpkitError {
  return new ExpkitError(message, { exitCode: ExitCode.Usage });
}

/** Sweep flags that cannot go together, checked before anything is read. */
function assertSweepFlags(words: string[], opts: LaunchOptions): void {
  if (opts.sweep !== undefined) assertValidName('sweep name', opts.sweep);
  if (opts.resume && opts.sweep === undefined) throw usage('--resume needs --sweep NAME');
  if (opts.resume && (opts.grid?.length || opts.range?.length || opts.sample !== undefined || opts.seeds !== undefined || words.length)) {
    throw usage('--resume restarts the recorded sweep as it was expanded: give only --sweep NAME (no command, --grid, --range, --sample or --seeds)');
  }
  if (opts.name !== undefined) throw usage('--name names one run; a sweep is named with --sweep NAME');
  if (opts.dryRun || opts.specHash !== undefined) throw usage('--dry-run and --spec-hash do not cover sweeps yet');
}

async function nvidiaSmi(): Promise<string | null> {
  if (!commandOnPath('nvidia-smi')) return null;
  const r = await exec('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 15000 });
  return r.exitCode === 0 ? r.stdout : null;
}

/** How the wrapper runs `expkit status RUN` when its command ends (null when this CLI's path is unknown). */
function recorderFor(home: string): { node: string; cli: string; home: string } | null {
  const cli = process.argv[1];
  if (!cli) return null;
  try {
    return { node: process.execPath, cli: realpathSync(cli), home };
  } catch {
    return null;
  }
}

/** The interpreter the scaffold's run.sh will use (not `python3` on the launcher's PATH). */
async function slugPython(root: string, slug: string): Promise<{ path: string | null; version: string | null }> {
  const text = readFileSync(join(root, 'experiments', 'code', slug, 'run.sh'), 'utf8');
  return pythonAt(await resolveRunShPython(runShInterpreter(text, process.env), root));
}

/** The seeds run.sh runs when launch gives none: SEEDS, else config.yaml's. */
function slugSeeds(root: string, slug: string): number[] {
  let config: string | null = null;
  try {
    config = readFileSync(join(root, 'experiments', 'code', slug, 'config.yaml'), 'utf8');
  } catch {
    /* no config.yaml: run.sh will say so */
  }
  return runShSeeds(config, process.env.SEEDS);
}

/** The launch plan and its specHash (approval by hash, src/launch/approval.ts); loaded only for --dry-run and --spec-hash. */
async function approvalOf(root: string, slug: string | null, specPath: string | null, backend: string, argv: string[], seeds: number[], opts: LaunchOptions) {
  const a = await import('../launch/approval.js');
  const recordedSeeds = seeds.length || !slug ? seeds : slugSeeds(root, slug);
  const plan = a.launchPlan({ slug, specPath: specPath ? relative(root, specPath) : null, backend, argv, seeds, recordedSeeds, flags: opts });
  const specHash = a.launchSpecHash(plan, a.approvedFiles(root, plan));
  return {
    print: (json: boolean) => process.stdout.write(json ? a.dryRunJson(plan, specHash) : a.dryRunText(plan, specHash)),
    assertApproved(given: string) {
      if (sameApprovalId(given, specHash)) return;
      throw new ExpkitError(`the launch is not the approved one (--spec-hash ${given}, now ${specHash}): the spec, the experiment's files or the flags changed since the dry run; nothing started`, {
        exitCode: ExitCode.Refused,
        hint: `preview again with ${slug ? `expkit launch ${slug}` : 'the same launch'} --dry-run --json and approve the new specHash`,
      });
    },
  };
}

export async function launchCommand(words: string[], opts: LaunchOptions): Promise<number> {
  const sweeping = isSweepLaunch(opts);
  if (sweeping) assertSweepFlags(words, opts);
  const root = projectRoot(process.cwd());
  const runs = runsDir(root);
  // --resume takes everything from the record: the command, where it ran, the backend.
  const resumed = opts.resume && opts.sweep !== undefined ? await prepareResume(expkitHome(root), runs, opts.sweep) : null;
  const cwd = resumed?.record.cwd ?? process.cwd();
  const backendName = resolveBackendName(resumed?.record.backend ?? opts.backend);
  const backend = backendFor(backendName);
  const seeds = resumed ? resumed.record.seeds : parseSeeds(opts.seeds);
  const stopOn = parseStopOn(opts.stopOn);
  if (opts.name !== undefined) assertValidName('run name', opts.name);
  if (opts.gpus !== 'auto' && opts.gpus !== 'none') parseGpuList(opts.gpus);

  // `launch -- CMD` is always a command; `launch WORD` is an experiment slug.
  const { argv, slug } = resumed ? resolveTarget(root, cwd, resumed.record.command, true) : resolveTarget(root, cwd, words, process.argv.slice(2).includes('--'));
  // The scaffold keys results and checkpoints by seed only: configurations would overwrite each other's.
  if (sweeping && slug) throw usage(`sweeps of an experiment (launch ${slug}) are not supported yet: its results and checkpoints are kept per seed, so configurations would overwrite each other's`);
  const now = new Date();
  let sweep: PreparedSweep | null =
    resumed ??
    (sweeping
      ? await prepareNewSweep({
          name: opts.sweep ?? deriveRunName(argv, now),
          argv,
          cwd,
          backend: backendName,
          createdAt: now,
          flags: { grid: opts.grid ?? [], ranges: opts.range ?? [], sample: opts.sample ?? null, sampleSeed: opts.sampleSeed ?? null, seeds, yes: Boolean(opts.yes) },
        })
      : null);
  if (sweep && sweep.toStart.length === 0) {
    const message = `sweep ${sweep.record.name}: every run succeeded or is still running; nothing to resume`;
    process.stdout.write(opts.json ? JSON.stringify({ schemaVersion: 1, sweep: sweep.record.name, runs: [], gpus: null }, null, 2) + '\n' : message + '\n');
    return ExitCode.Ok;
  }
  // Specs need the YAML parser: load it only for experiment launches (keeps `launch -- CMD` fast).
  const specs = slug ? await import('../launch/spec-status.js') : null;
  const specPath = specs && slug ? specs.findSpecPath(root, slug) : null;
  // A dry run reads only: no claim, no run folder.
  if (opts.dryRun) {
    if (specs && specPath) specs.assertLaunchable(specPath);
    (await approvalOf(root, slug, specPath, backendName, argv, seeds, opts)).print(Boolean(opts.json));
    return ExitCode.Ok;
  }
  // One launch at a time per experiment: the status check and the `running` record happen under the claim.
  const claim = specs && specPath && slug ? claimSpec(expkitHome(root), slug) : null;
  try {
    if (specs && specPath) specs.assertLaunchable(specPath);
    // Checked under the claim (no other launch moves the spec on meanwhile) and before anything is made.
    if (opts.specHash !== undefined) (await approvalOf(root, slug, specPath, backendName, argv, seeds, opts)).assertApproved(opts.specHash);

    const unavailable = await backend.unavailable();
    if (unavailable) throw new ExpkitError(`backend ${backendName} is not available: ${unavailable}`, { exitCode: ExitCode.Unavailable });

    const after = opts.after ? loadRun(runs, opts.after) : null;
    if (after && (after.manifest.backend === 'slurm') !== (backendName === 'slurm')) {
      throw new ExpkitError(`--after ${opts.after}: that run is on ${after.manifest.backend}; a ${backendName} run can only wait for runs on ${backendName === 'slurm' ? 'slurm' : 'a local backend'}`, { exitCode: ExitCode.Usage });
    }
    if (after) {
      // A local wrapper reports a failed dependency itself; a lost one would keep it waiting forever,
      // and SLURM refuses dependencies on jobs that already ended badly.
      const v = await viewRun(after.dir, after.manifest, false);
      const hopeless = v.state === 'lost' || (backendName === 'slurm' && !['queued', 'running', 'succeeded'].includes(v.state));
      if (hopeless) {
        throw new ExpkitError(`--after ${opts.after}: that run already ${v.state}; the dependent run would never start`, { exitCode: ExitCode.Refused });
      }
    }

    const base = opts.name ?? deriveRunName(argv, now);
    const planned: PlannedStart[] = sweep
      ? sweep.toStart.map((t) => ({ seed: t.seed, params: t.params, name: t.name }))
      : (seeds.length ? seeds : [null]).map((seed) => ({ seed, params: null, name: seed === null ? base : `${base}-s${seed}` }));
    const commandOf = (p: PlannedStart) => commandForSeed(p.params && sweep ? commandWithParams(argv, p.params, sweep.record.flags) : argv, p.seed, !slug);
    if (opts.smoke) {
      const smokeArgv = commandOf(planned[0]);
      const env: Record<string, string> = slug && planned[0].seed !== null ? { SEEDS: String(planned[0].seed) } : {};
      await runSmoke([...smokeArgv, '--smoke'], cwd, env, Boolean(opts.json));
    }

    const gpuChoices = backendName === 'slurm' ? null : chooseGpus(opts.gpus, opts.gpus === 'auto' ? await nvidiaSmi() : null, planned.length);
    const home = expkitHome(root);
    ensureRunsDir(root);
    const [git, python] = await Promise.all([
      captureGit(cwd, home),
      slug ? slugPython(root, slug) : argv.some((a) => /python/.test(a)) ? capturePython(argv) : Promise.resolve({ path: null, version: null }),
    ]);
    const recordedSeeds = seeds.length || !slug ? seeds : slugSeeds(root, slug);
    const launcher = identityOf(process.pid) ?? undefined;
    const claimed: string[] = [];
    const requests: StartRequest[] = [];
    const manifests: Manifest[] = [];
    let started = false;
    // A new sweep takes its folder first (a taken --sweep NAME is refused before any run exists).
    const sweepRenamed = sweep?.isNew ? claimSweepDir(home, sweep.record.name, opts.sweep !== undefined) : null;
    if (sweep && sweepRenamed !== null) {
      sweep = renamed(sweep, sweepRenamed);
      planned.splice(0, planned.length, ...sweep.toStart.map((t) => ({ seed: t.seed, params: t.params, name: t.name })));
    }
    const recordBefore = sweep && !sweep.isNew ? structuredClone(sweep.record) : null;
    try {
      for (const [i, plan] of planned.entries()) {
        const seed = plan.seed;
        const command = commandOf(plan);
        const choice = gpuChoices?.[i] ?? null;
        const env = runEnv(backendName, opts.gpus, choice, seed, Boolean(slug));
        if (plan.params) env.EXPKIT_PARAMS = JSON.stringify(plan.params);
        const runId = randomBytes(12).toString('hex');
        let manifest: Manifest | null = null;
        // Everything the run folder holds is written before it appears (manifest.json first), so a
        // launch killed at any moment leaves either nothing or a run that list/status/stop know.
        const name = claimRunDir(runs, plan.name, opts.name !== undefined, (candidate, dir, staging) => {
          manifest = {
            ...newManifest({ name: candidate, dir, slug, specPath: specPath ? relative(root, specPath) : null, backend: backendName, command, cwd, createdAt: now, seed, seeds: recordedSeeds, after: after?.manifest.name ?? null, python, env, gpus: choice?.gpus ?? null, wandb: wandbSettings(process.env), git: git.info, host: hostname() }),
            runId,
            state: 'starting',
            launcher,
            ...(stopOn ? { stopOn } : {}),
            ...(plan.params && sweep ? { params: plan.params, sweep: sweep.record.name } : {}),
          };
          writeManifest(staging, manifest);
          // SLURM enforces --after itself (afterok); local backends wait in the wrapper.
          const waitFor = after && backendName !== 'slurm' ? { name: after.manifest.name, dir: after.dir } : null;
          const tee = backendName === 'tmux' || backendName === 'screen';
          const local = backendName !== 'slurm';
          writeFileAtomic(join(staging, RUN_FILES.wrapper), wrapperScript({ runName: candidate, runDir: dir, cwd, argv: command, env, tee, after: waitFor, runId, envFromFile: local, recorder: recorderFor(home), stopOn }), { mode: 0o755 });
          writeFileSync(join(staging, RUN_FILES.log), '', { flag: 'a' });
          // The launcher's whole environment, secrets included: readable by the user only, removed by the wrapper once read.
          if (local) writeFileAtomic(join(staging, RUN_FILES.envFile), envFileText(process.env), { mode: 0o600 });
          for (const [file, text] of Object.entries(git.files)) writeFileAtomic(join(staging, file), text);
        });
        claimed.push(name);
        manifests.push(manifest!);
        requests.push({ name, dir: join(runs, name), wrapperPath: join(runs, name, RUN_FILES.wrapper), cwd, seed, runId });
      }
      if (sweep) {
        // Recorded before the backend starts anything: a launch killed now leaves runs that
        // end not_started, and --resume starts them again.
        for (const [i, t] of sweep.toStart.entries()) {
          const entry = sweep.record.runs[t.entry];
          if (entry.run !== null) entry.previous.push(entry.run);
          entry.run = claimed[i];
        }
        writeSweepRecord(home, sweep.record);
      }
      const flags = { partition: opts.partition, gres: opts.gres, cpusPerTask: opts.cpusPerTask, mem: opts.mem, time: opts.time };
      const hardware = specs && specPath ? (specs.readSpec(specPath).data.setup as Record<string, unknown> | undefined)?.hardware : undefined;
      const gpuCount = /^\d/.test(opts.gpus) ? opts.gpus.split(',').length : null;
      const handles = await backend.start(requests, { after: after?.manifest ?? null, slurm: slurmResources(hardware, flags, gpuCount) });
      started = true;
      for (const [i, m] of manifests.entries()) {
        m.handle = handles[i];
        delete m.state;
        delete m.launcher;
        writeManifest(requests[i].dir, m);
        // A run that ended before this record was written could not record its outcome (the
        // wrapper leaves a starting record to its launcher): record it now.
        if (existsSync(join(requests[i].dir, RUN_FILES.exitCode))) await viewRun(requests[i].dir, m, false);
      }
      if (specs && specPath) {
        specs.updateSpec(specPath, { status: 'running', started: now.toISOString(), run: claimed.length === 1 ? claimed[0] : claimed });
        specs.appendSpecLog(specPath, `launched ${claimed.join(', ')} on ${backendName}${seeds.length ? ` (seeds ${seeds.join(',')})` : ''}`, now);
      }
      printLaunched(manifests, gpuChoices?.[0]?.note ?? null, Boolean(opts.json), sweep?.record.name ?? null);
      return ExitCode.Ok;
    } catch (err) {
      // Before the backend has them the runs are only files; after, they run and must stay listed.
      if (!started) {
        for (const name of claimed) rmSync(join(runs, name), { recursive: true, force: true });
        if (sweepRenamed !== null) releaseSweepDir(home, sweepRenamed);
        else if (recordBefore) writeSweepRecord(home, recordBefore);
      }
      throw err;
    }
  } finally {
    claim?.release();
  }
}
