import { existsSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { exec } from '../io/exec.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { writeFileAtomic } from '../io/atomic.js';
import { backendFor, resolveBackendName } from '../backends/index.js';
import type { StartRequest } from '../backends/types.js';
import { wandbSettings } from '../launch/env.js';
import { chooseGpus, NVIDIA_SMI_ARGS, parseGpuList } from '../launch/gpus.js';
import { resolveTarget } from '../launch/target.js';
import type { Manifest } from '../launch/manifest.js';
import { newManifest, runEnv } from '../launch/record.js';
import { deriveRunName } from '../launch/names.js';
import { commandForSeed, parseSeeds, slurmResources } from '../launch/options.js';
import { expkitHome, projectRoot, RUN_FILES, runsDir } from '../launch/paths.js';
import { claimSpec } from '../launch/spec-lock.js';
import { capturePython, captureGit } from '../launch/provenance.js';
import { claimRunDir, loadRun, writeManifest } from '../launch/registry.js';
import { viewRun } from '../launch/view.js';
import { commandOnPath } from '../launch/which.js';
import { wrapperScript } from '../launch/wrapper.js';
import { parseStopOn } from '../launch/stop-on.js';
import { printLaunched } from '../printers/launch.js';
import { runSmoke } from '../launch/smoke.js';

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
}

async function nvidiaSmi(): Promise<string | null> {
  if (!commandOnPath('nvidia-smi')) return null;
  const r = await exec('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 15000 });
  return r.exitCode === 0 ? r.stdout : null;
}

export async function launchCommand(words: string[], opts: LaunchOptions): Promise<number> {
  const cwd = process.cwd();
  const root = projectRoot(cwd);
  const runs = runsDir(root);
  const backendName = resolveBackendName(opts.backend);
  const backend = backendFor(backendName);
  const seeds = parseSeeds(opts.seeds);
  const stopOn = parseStopOn(opts.stopOn);
  if (opts.name !== undefined) assertValidName('run name', opts.name);
  if (opts.gpus !== 'auto' && opts.gpus !== 'none') parseGpuList(opts.gpus);

  // `launch -- CMD` is always a command; `launch WORD` is an experiment slug.
  const { argv, slug } = resolveTarget(root, cwd, words, process.argv.slice(2).includes('--'));
  // Specs need the YAML parser: load it only for experiment launches (keeps `launch -- CMD` fast).
  const specs = slug ? await import('../launch/spec-status.js') : null;
  const specPath = specs && slug ? specs.findSpecPath(root, slug) : null;
  // One launch at a time per experiment: the status check and the `running` record happen under the claim.
  const claim = specs && specPath && slug ? claimSpec(expkitHome(root), slug) : null;
  try {
    if (specs && specPath) specs.assertLaunchable(specPath);

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

    const seedList: (number | null)[] = seeds.length ? seeds : [null];
    if (opts.smoke) {
      const smokeArgv = commandForSeed(argv, seedList[0], !slug);
      const env: Record<string, string> = slug && seedList[0] !== null ? { SEEDS: String(seedList[0]) } : {};
      await runSmoke([...smokeArgv, '--smoke'], cwd, env, Boolean(opts.json));
    }

    const gpuChoices = backendName === 'slurm' ? null : chooseGpus(opts.gpus, opts.gpus === 'auto' ? await nvidiaSmi() : null, seedList.length);
    const now = new Date();
    const base = opts.name ?? deriveRunName(argv, now);
    const claimed: string[] = [];
    try {
      for (const seed of seedList) {
        claimed.push(claimRunDir(runs, seed === null ? base : `${base}-s${seed}`, opts.name !== undefined));
      }
      const [git, python] = await Promise.all([
        captureGit(cwd, join(runs, claimed[0])),
        slug || argv.some((a) => /python/.test(a)) ? capturePython(argv) : Promise.resolve({ path: null, version: null }),
      ]);
      const requests: StartRequest[] = [];
      const manifests: Manifest[] = [];
      seedList.forEach((seed, i) => {
        const name = claimed[i];
        const dir = join(runs, name);
        if (i > 0) {
          for (const f of [RUN_FILES.gitDiff, RUN_FILES.untracked]) if (existsSync(join(runs, claimed[0], f))) copyFileSync(join(runs, claimed[0], f), join(dir, f));
        }
        const command = commandForSeed(argv, seed, !slug);
        const choice = gpuChoices?.[i] ?? null;
        const env = runEnv(backendName, opts.gpus, choice, seed, Boolean(slug));
        const wrapperPath = join(dir, RUN_FILES.wrapper);
        // SLURM enforces --after itself (afterok); local backends wait in the wrapper.
        const waitFor = after && backendName !== 'slurm' ? { name: after.manifest.name, dir: after.dir } : null;
        const tee = backendName === 'tmux' || backendName === 'screen';
        writeFileAtomic(wrapperPath, wrapperScript({ runName: name, runDir: dir, cwd, argv: command, env, tee, after: waitFor, stopOn }), { mode: 0o755 });
        writeFileSync(join(dir, RUN_FILES.log), '', { flag: 'a' });
        manifests.push(
          newManifest({
            name,
            dir,
            slug,
            specPath: specPath ? relative(root, specPath) : null,
            backend: backendName,
            command,
            cwd,
            createdAt: now,
            seed,
            seeds,
            after: after?.manifest.name ?? null,
            python,
            env,
            gpus: choice?.gpus ?? null,
            wandb: wandbSettings(process.env),
            git,
            host: hostname(),
          }),
        );
        if (stopOn) manifests[manifests.length - 1].stopOn = stopOn;
        requests.push({ name, dir, wrapperPath, cwd, seed });
      });
      const flags = { partition: opts.partition, gres: opts.gres, cpusPerTask: opts.cpusPerTask, mem: opts.mem, time: opts.time };
      const hardware = specs && specPath ? (specs.readSpec(specPath).data.setup as Record<string, unknown> | undefined)?.hardware : undefined;
      const gpuCount = /^\d/.test(opts.gpus) ? opts.gpus.split(',').length : null;
      const handles = await backend.start(requests, { after: after?.manifest ?? null, slurm: slurmResources(hardware, flags, gpuCount) });
      manifests.forEach((m, i) => {
        m.handle = handles[i];
        writeManifest(requests[i].dir, m);
      });
      if (specs && specPath) {
        specs.updateSpec(specPath, { status: 'running', started: now.toISOString(), run: claimed.length === 1 ? claimed[0] : claimed });
        specs.appendSpecLog(specPath, `launched ${claimed.join(', ')} on ${backendName}${seeds.length ? ` (seeds ${seeds.join(',')})` : ''}`, now);
      }
      printLaunched(manifests, gpuChoices?.[0]?.note ?? null, Boolean(opts.json));
      return ExitCode.Ok;
    } catch (err) {
      for (const name of claimed) rmSync(join(runs, name), { recursive: true, force: true });
      throw err;
    }
  } finally {
    claim?.release();
  }
}
