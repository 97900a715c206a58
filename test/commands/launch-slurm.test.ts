import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendSuite } from '../support/backend-suite.js';
import { describeWith, SYSTEM_PYTHON } from '../support/components.js';
import { FIXTURES } from '../support/cli.js';
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

    test('a requeued job running an instrumented script continues from its checkpoint, with the same command line', async () => {
      // plain_mlp, instrumented with --seed --checkpoint through the CLI; each epoch is slowed down so
      // the requeue lands mid-run.
      const source = readFileSync(join(FIXTURES, 'plain_mlp.py'), 'utf8').replace(
        '        scheduler.step()\n',
        '        scheduler.step()\n        time.sleep(1.5)\n',
      ).replace('import math\n', 'import math\nimport time\n');
      writeFileSync(join(p.dir, 'train.py'), source);
      const patched = await p.cli(['instrument', 'train.py', '--seed', '1', '--checkpoint', '--checkpoint-dir', 'ckpt', '--apply', '--yes']);
      expect([patched.exitCode, patched.stderr]).toEqual([0, expect.stringContaining('expkit: patched train.py')]);
      const r = await p.json(['launch', '--backend', 'slurm', '--name', 'preempted', '--', SYSTEM_PYTHON, 'train.py', '--epochs', '6']);
      const jobId = r.runs[0].handle.jobId;
      const until = async (ok: () => boolean, what: string) => {
        const deadline = Date.now() + 90000;
        while (!ok()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${p.log('preempted')}`);
          await new Promise((res) => setTimeout(res, 200));
        }
      };
      await until(() => /^epoch 2 /m.test(p.log('preempted')), 'the second epoch');
      const requeue = spawnSync('scontrol', ['requeue', jobId], { env: { ...process.env, ...env() }, encoding: 'utf8' });
      expect([requeue.status, requeue.stderr]).toEqual([0, '']);
      const waited = await p.cli(['wait', 'preempted', '--timeout', '120']);
      if (waited.exitCode !== 0) throw new Error(`wait exited ${waited.exitCode}: ${waited.stdout}${waited.stderr}\n--- log:\n${p.log('preempted')}`);
      const log = p.log('preempted');
      const resumedAt = /^expkit: resumed from ckpt\/train\/1-[0-9a-f]{12}\/last\.pt at (\d+)$/m.exec(log);
      expect(resumedAt).not.toBeNull();
      const done = Number(resumedAt![1]);
      expect(done).toBeGreaterThanOrEqual(2);
      // After the requeue, the epochs continue where the checkpoint left them, up to the last one.
      const after = log.slice(resumedAt!.index).split('\n').filter((l) => l.startsWith('epoch ')).map((l) => Number(l.split(' ')[1]));
      expect(after).toEqual(Array.from({ length: 6 - done }, (_, i) => done + 1 + i));
    }, 180000);
  });
});
