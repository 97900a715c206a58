/** The `slurm` backend: `sbatch --parsable`, state from scontrol/squeue/sacct, `scancel` to stop. */
import { exec } from '../io/exec.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { commandOnPath } from '../launch/which.js';
import type { Probe } from '../launch/state.js';
import type { Backend } from './types.js';
import type { Manifest } from '../launch/manifest.js';
import { batchScript, parseSacct, parseScontrolJob, slurmRunState } from './slurm-script.js';

async function run(cmd: string, args: string[]) {
  return exec(cmd, args, { timeout: 20000 });
}

export async function slurmJobState(jobId: string): Promise<Probe> {
  const sc = await run('scontrol', ['-o', 'show', 'job', jobId]);
  const job = sc.exitCode === 0 ? parseScontrolJob(sc.stdout) : null;
  let state = job?.jobState ?? null;
  let exitCode = job?.exitCode ?? null;
  const reason = job?.reason ?? null;
  if (!state) {
    const sq = await run('squeue', ['-h', '-t', 'all', '-j', jobId, '-o', '%T']);
    state = sq.exitCode === 0 ? sq.stdout.trim().split('\n')[0] || null : null;
  }
  if (!state && commandOnPath('sacct')) {
    const sa = await run('sacct', ['-n', '-P', '-X', '-j', jobId, '-o', 'State,ExitCode']);
    const parsed = sa.exitCode === 0 ? parseSacct(sa.stdout) : null;
    if (parsed) ({ jobState: state, exitCode } = parsed);
  }
  if (!state) return { kind: 'gone' };
  const mapped = slurmRunState(state);
  if ((mapped === 'queued' || mapped === 'stopped') && reason && /DependencyNeverSatisfied/.test(reason)) {
    return { kind: 'ended', state: 'not_started', exitCode: null, reason: 'not started: the run it depends on (--after) did not succeed' };
  }
  if (mapped === 'queued') return { kind: 'pending', reason: reason ?? undefined };
  if (mapped === 'running') return { kind: 'alive' };
  return { kind: 'ended', state: mapped, exitCode, reason: `SLURM state ${state}` };
}

function jobIdOf(m: Manifest): string {
  return m.handle.jobId ?? '';
}

export const slurmBackend: Backend = {
  name: 'slurm',
  restartsRuns: true,
  async unavailable() {
    if (!commandOnPath('sbatch')) return 'sbatch is not installed: SLURM is not available here (pick --backend process or tmux)';
    const ping = await run('scontrol', ['ping']);
    if (!/UP/.test(ping.stdout)) return 'the SLURM controller does not answer (scontrol ping): start slurmctld or check slurm.conf';
    return null;
  },
  async start(runs, options) {
    const first = runs[0];
    const script = batchScript({
      jobName: runs.length > 1 ? first.name.replace(/-s\d+$/, '') : first.name,
      logDir: first.dir,
      wrappers: runs.map((r) => r.wrapperPath),
      resources: options.slurm ?? {},
    });
    const scriptPath = join(first.dir, 'job.sbatch');
    writeFileAtomic(scriptPath, script, { mode: 0o755 });
    const args = ['--parsable'];
    // A dependency that can no longer be met cancels the job instead of leaving it pending forever.
    if (options.after) args.push(`--dependency=afterok:${jobIdOf(options.after)}`, '--kill-on-invalid-dep=yes');
    args.push(scriptPath);
    const r = await exec('sbatch', args, { cwd: first.cwd, timeout: 30000 });
    if (r.exitCode !== 0) {
      throw new ExpkitError(`sbatch failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`, { exitCode: ExitCode.Unavailable });
    }
    const id = r.stdout.trim().split(';')[0];
    if (!/^\d+$/.test(id)) throw new ExpkitError(`sbatch printed no job id: ${r.stdout.trim()}`, { exitCode: ExitCode.Unavailable });
    if (runs.length === 1) return [{ jobId: id }];
    return runs.map((_, i) => ({ jobId: `${id}_${i}`, arrayJobId: id, arrayTaskId: i }));
  },
  probe(manifest) {
    return slurmJobState(jobIdOf(manifest));
  },
  async terminate(manifest, _dir, signal) {
    const args = signal === 'SIGKILL' ? ['--signal=KILL', '--full'] : [];
    await run('scancel', [...args, jobIdOf(manifest)]);
  },
  attachArgv() {
    return null;
  },
};
