import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { backendSuite } from '../support/backend-suite.js';
import { describeWith } from '../support/components.js';
import { py, useProject } from '../support/runs.js';
import { slurmInstalled, startSlurmCluster, type SlurmCluster } from '../support/slurm.js';

let cluster: SlurmCluster | null = null;
const env = () => cluster?.env ?? {};

describeWith('slurm-wlm and munge', slurmInstalled)('launch --backend slurm (a real single-node cluster)', () => {
  beforeAll(async () => {
    cluster = await startSlurmCluster();
  }, 60000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60000);

  describe('single jobs', () => {
    backendSuite('slurm', env, (handle) => expect(handle.jobId).toMatch(/^\d+$/));
  });

  describe('arrays and dependencies', () => {
    const p = useProject(env);

    test('--seeds 1,2,3 submits one 3-task job array, one run per seed', async () => {
      const r = await p.json(['launch', '--backend', 'slurm', '--name', 'sweep', '--seeds', '1,2,3', ...py('ok')]);
      expect(r.runs.map((x: any) => x.name)).toEqual(['sweep-s1', 'sweep-s2', 'sweep-s3']);
      const ids = r.runs.map((x: any) => x.handle.jobId);
      const arrayId = r.runs[0].handle.arrayJobId;
      expect(ids).toEqual([`${arrayId}_0`, `${arrayId}_1`, `${arrayId}_2`]);
      for (const [i, seed] of [1, 2, 3].entries()) {
        const name = `sweep-s${seed}`;
        expect((await p.cli(['wait', name, '--timeout', '90'])).exitCode).toBe(0);
        expect(p.log(name)).toContain(`start seed=${seed} env_seed=${seed}`);
        expect(p.manifest(name).command.slice(-2)).toEqual(['--seed', String(seed)]);
        expect(p.manifest(name).handle.arrayTaskId).toBe(i);
      }
      const script = p.runDir('sweep-s1') + '/job.sbatch';
      const text = (await import('node:fs')).readFileSync(script, 'utf8');
      expect(text).toContain('#SBATCH --array=0-2');
      expect(text).toContain('%A_%a');
    });

    test('--after: starts after a run succeeded; not started after one that failed', async () => {
      const first = await p.cli(['launch', '--backend', 'slurm', '--name', 'first', ...py('ok')]);
      expect(first.exitCode).toBe(0);
      expect((await p.cli(['launch', '--backend', 'slurm', '--name', 'second', '--after', 'first', ...py('ok')])).exitCode).toBe(0);
      expect((await p.cli(['wait', 'second', '--timeout', '90'])).exitCode).toBe(0);
      const s1 = await p.json(['status', 'first']);
      const s2 = await p.json(['status', 'second']);
      expect(Date.parse(s2.startedAt)).toBeGreaterThanOrEqual(Date.parse(s1.endedAt));

      expect((await p.cli(['launch', '--backend', 'slurm', '--name', 'bad', ...py('fail')])).exitCode).toBe(0);
      expect((await p.cli(['launch', '--backend', 'slurm', '--name', 'blocked', '--after', 'bad', ...py('ok')])).exitCode).toBe(0);
      expect((await p.cli(['wait', 'blocked', '--timeout', '90'])).exitCode).toBe(1);
      const blocked = await p.json(['status', 'blocked']);
      expect(blocked.state).toBe('not_started');
      expect(blocked.reason).toMatch(/not started/);
      expect(p.log('blocked')).toBe('');
      // SLURM cancelled it (--kill-on-invalid-dep) rather than leaving it pending forever.
      const job = spawnSync('scontrol', ['-o', 'show', 'job', p.manifest('blocked').handle.jobId], { env: { ...process.env, ...env() }, encoding: 'utf8' }).stdout;
      expect(job).toMatch(/JobState=CANCELLED/);
    });

    test('resource flags reach the scheduler', async () => {
      const r = await p.json(['launch', '--backend', 'slurm', '--name', 'res', '--time', '0:05:00', '--cpus-per-task', '1', '--mem', '100M', ...py('ok')]);
      const job = spawnSync('scontrol', ['-o', 'show', 'job', r.runs[0].handle.jobId], { env: { ...process.env, ...env() }, encoding: 'utf8' }).stdout;
      expect(job).toMatch(/TimeLimit=00:05:00/);
      expect(job).toMatch(/MinMemoryNode=100M/);
      expect(job).toMatch(/CPUs\/Task=1/);
      expect((await p.cli(['wait', 'res', '--timeout', '60'])).exitCode).toBe(0);
    });

    test('USR1 before the time limit requeues the job through the trap; the log is appended, not truncated', async () => {
      const r = await p.json(['launch', '--backend', 'slurm', '--name', 'requeue', ...py('sleep')]);
      const jobId = r.runs[0].handle.jobId;
      const until = async (ok: () => boolean, what: string) => {
        const deadline = Date.now() + 60000;
        while (!ok()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${p.log('requeue')}`);
          await new Promise((res) => setTimeout(res, 200));
        }
      };
      await until(() => p.log('requeue').includes('epoch 3/3'), 'the first attempt');
      spawnSync('scancel', ['--signal=USR1', '--batch', jobId], { env: { ...process.env, ...env() } });
      await until(() => p.log('requeue').split('start seed=0').length === 3, 'the requeued attempt');
      expect((await p.json(['status', 'requeue'])).state).toMatch(/running|queued/);
      // The trap in the batch script did it (SLURM's own output file, %x-%j.out).
      expect(readFileSync(`${p.runDir('requeue')}/requeue-${jobId}.out`, 'utf8')).toContain(`expkit: USR1 received, requeueing ${jobId}`);
      expect((await p.cli(['stop', 'requeue'])).exitCode).toBe(0);
      expect((await p.json(['status', 'requeue'])).state).toBe('stopped');
    }, 120000);
  });
});
