/**
 * A private single-node SLURM cluster for the launch tests (Debian slurm-wlm + munge).
 * Its configuration, state and PID files live in a temporary folder; clients find it through
 * SLURM_CONF. Only the daemons started here are stopped, by their PID files; an already running
 * controller is used as it is and left alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { commandExists } from './components.js';
import { tempDir } from './temp.js';

export const slurmInstalled = commandExists('sbatch') && existsSync('/usr/sbin/slurmctld') && existsSync('/usr/sbin/slurmd') && existsSync('/usr/sbin/munged');

export interface SlurmCluster {
  /** Environment the tests pass to expkit (SLURM_CONF). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 20000 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`SLURM test cluster: timed out waiting for ${what}`);
    await sleep(200);
  }
}

function mungeWorks(): boolean {
  const enc = sh('munge', ['-n']);
  return enc.status === 0 && spawnSync('unmunge', [], { input: enc.stdout, encoding: 'utf8' }).status === 0;
}

function pidFromFile(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function killByPidFile(path: string): Promise<void> {
  const pid = pidFromFile(path);
  if (pid === null) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const gone = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  const deadline = Date.now() + 10000;
  while (!gone() && Date.now() < deadline) await sleep(100);
  if (!gone()) process.kill(pid, 'SIGKILL');
}

function config(dir: string): string {
  const host = hostname().split('.')[0];
  const nodeLine = sh('/usr/sbin/slurmd', ['-C']).stdout.split('\n')[0].trim();
  return [
    'ClusterName=expkit-test',
    `SlurmctldHost=${host}(127.0.0.1)`,
    'AuthType=auth/munge',
    // A requeued job waits cred_expire seconds before it may start again (default 120).
    'AuthInfo=cred_expire=5',
    'SlurmUser=root',
    'SlurmdUser=root',
    'SlurmctldPort=6817',
    'SlurmdPort=6818',
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`,
    `SlurmdLogFile=${dir}/slurmd.log`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'MpiDefault=none',
    'SchedulerType=sched/backfill',
    'SchedulerParameters=batch_sched_delay=0,sched_interval=1',
    'ReturnToService=2',
    'AccountingStorageType=accounting_storage/none',
    'JobAcctGatherType=jobacct_gather/none',
    'MinJobAge=300',
    'KillWait=5',
    `${nodeLine} NodeAddr=127.0.0.1 State=UNKNOWN`,
    `PartitionName=debug Nodes=${nodeLine.split(/\s/)[0].replace('NodeName=', '')} Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES`,
    '',
  ].join('\n');
}

/** Start munged (when not running), slurmctld and slurmd; resolve when the node is idle. */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  // A cluster already answering (a developer's own) is used as it is and left running.
  if (/UP/.test(sh('scontrol', ['ping']).stdout ?? '')) return { env: {}, stop: async () => {} };
  const dir = tempDir('expkit-slurm-');
  const conf = join(dir, 'slurm.conf');
  const env = { ...process.env, SLURM_CONF: conf };
  const started: string[] = [];
  let startedMunge = false;
  const stop = async () => {
    // Cancel what the tests may have left, then stop our daemons, newest first.
    sh('scancel', ['--user', process.env.USER ?? 'root'], env);
    for (const pidFile of started.reverse()) await killByPidFile(pidFile);
    if (startedMunge) await killByPidFile('/run/munge/munged.pid');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (!mungeWorks()) {
      sh('install', ['-d', '-o', 'munge', '-g', 'munge', '/run/munge']);
      const r = sh('runuser', ['-u', 'munge', '--', '/usr/sbin/munged', '--force']);
      if (r.status !== 0) throw new Error(`munged did not start: ${r.stderr}`);
      startedMunge = true;
      await until('munge', mungeWorks, 10000);
    }
    for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
    writeFileSync(conf, config(dir));
    for (const [daemon, pidFile] of [['slurmctld', 'slurmctld.pid'], ['slurmd', 'slurmd.pid']] as const) {
      const r = sh(`/usr/sbin/${daemon}`, ['-f', conf], env);
      if (r.status !== 0) throw new Error(`${daemon} did not start: ${r.stderr}`);
      started.push(join(dir, pidFile));
      if (daemon === 'slurmctld') await until('slurmctld (scontrol ping)', () => /UP/.test(sh('scontrol', ['ping'], env).stdout));
    }
    await until('an idle node (sinfo)', () => /idle/.test(sh('sinfo', ['-h', '-o', '%T'], env).stdout));
    return { env: { SLURM_CONF: conf }, stop };
  } catch (err) {
    const log = existsSync(join(dir, 'slurmctld.log')) ? readFileSync(join(dir, 'slurmctld.log'), 'utf8').split('\n').slice(-10).join('\n') : '';
    await stop();
    throw new Error(`${(err as Error).message}\n${log}`);
  }
}
