import { spawnSync } from 'node:child_process';
import { batchScript, parseSacct, parseScontrolJob, slurmRunState } from '../../src/backends/slurm-script.js';

describe('SLURM batch script', () => {
  test('a single job: directives, requeue trap, quoted wrapper path; valid bash', () => {
    const s = batchScript({ jobName: 'train-0105-0907', logDir: '/runs/x', wrappers: ["/runs/it's here/wrapper.sh"], resources: { partition: 'gpu', gres: 'gpu:2', cpusPerTask: 8, mem: '32G', time: '4:00:00' } });
    expect(s.split('\n').filter((l) => l.startsWith('#SBATCH'))).toEqual([
      '#SBATCH --job-name=train-0105-0907',
      '#SBATCH --output=/runs/x/%x-%j.out',
      '#SBATCH --open-mode=append',
      '#SBATCH --requeue',
      '#SBATCH --signal=B:USR1@90',
      '#SBATCH --partition=gpu',
      '#SBATCH --gres=gpu:2',
      '#SBATCH --cpus-per-task=8',
      '#SBATCH --mem=32G',
      '#SBATCH --time=4:00:00',
    ]);
    expect(s.startsWith('#!/bin/bash\n')).toBe(true);
    expect(s).toContain(`wrappers=('/runs/it'\\''s here/wrapper.sh')`);
    expect(s).toMatch(/trap '.*scontrol requeue "\$job"' USR1/);
    expect(spawnSync('bash', ['-n'], { input: s }).status).toBe(0);
  });

  test('an array: %A_%a logs, one task per wrapper', () => {
    const s = batchScript({ jobName: 'sweep', logDir: '/r', wrappers: ['/a', '/b', '/c'], resources: {} });
    expect(s).toContain('#SBATCH --array=0-2');
    expect(s).toContain('#SBATCH --output=/r/%x-%A_%a.out');
    expect(s).not.toContain('--gres');
  });

  test('a newline in a directive value is rejected', () => {
    expect(() => batchScript({ jobName: 'x', logDir: '/r', wrappers: ['/a'], resources: { partition: 'a\nb' } })).toThrow(/newline/);
  });

  test('scontrol, sacct and state mapping', () => {
    const line = 'JobId=12 JobName=t UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 StdOut=/r/t-12.out';
    expect(parseScontrolJob(line)).toEqual({ jobState: 'FAILED', exitCode: 3, signal: 0, reason: 'NonZeroExitCode', stdOut: '/r/t-12.out' });
    expect(parseScontrolJob('JobId=13 JobState=CANCELLED Reason=None ExitCode=0:15')).toMatchObject({ jobState: 'CANCELLED', signal: 15, reason: null });
    expect(parseScontrolJob('slurm_load_jobs error: Invalid job id specified')).toBeNull();
    expect(parseSacct('COMPLETED|0:0\nCOMPLETED|0:0\n')).toEqual({ jobState: 'COMPLETED', exitCode: 0 });
    expect(['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED+', 'TIMEOUT', 'OUT_OF_MEMORY', 'REQUEUED'].map(slurmRunState)).toEqual(['queued', 'running', 'succeeded', 'failed', 'stopped', 'failed', 'failed', 'queued']);
  });
});
