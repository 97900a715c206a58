/** A throwaway project for launch tests: its own registry, tmux socket and screen folder. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, type CliResult } from './cli.js';
import { SYSTEM_PYTHON } from './components.js';
import { tempDir } from './temp.js';

/** Prints progress (stdout and stderr, in order), then behaves as `--mode` says. */
export const JOB_PY = `import argparse, json, os, sys, time
p = argparse.ArgumentParser()
p.add_argument("--mode", default="ok")
p.add_argument("--seed", type=int, default=0)
p.add_argument("--smoke", action="store_true")
a = p.parse_args()
print(f"start seed={a.seed} env_seed={os.environ.get('SEED')} unbuffered={os.environ.get('PYTHONUNBUFFERED')}")
for i in range(3):
    loss = float("nan") if a.mode == "nan" and i == 2 else 1.0 / (i + 1 + a.seed)
    print(f"epoch {i + 1}/3 loss: {loss:.4f}")
    print(f"warn {i + 1}", file=sys.stderr)
    time.sleep(0.1)
if a.mode == "sleep":
    time.sleep(60)
if a.mode == "fail":
    sys.exit(3)
if a.mode == "raise":
    raise ValueError("boom in step 3")
print("done")
`;

export const OK_LOG = [
  'start seed=0 env_seed=None unbuffered=1',
  'epoch 1/3 loss: 1.0000', 'warn 1',
  'epoch 2/3 loss: 0.5000', 'warn 2',
  'epoch 3/3 loss: 0.3333', 'warn 3',
  'done',
  '',
].join('\n');

export interface TestProject {
  dir: string;
  env: Record<string, string>;
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  json<T = any>(args: string[]): Promise<T>;
  runDir(name: string): string;
  manifest(name: string): any;
  log(name: string): string;
  cleanup(): void;
}

let counter = 0;

export function makeProject(extraEnv: Record<string, string> = {}): TestProject {
  // Removed by cleanup(), which first stops what runs there; tempDir() removes it too if cleanup was skipped.
  const dir = tempDir('expkit-launch-');
  mkdirSync(join(dir, 'experiments'));
  writeFileSync(join(dir, 'job.py'), JOB_PY);
  const socket = `expkit-test-${process.pid}-${counter++}`;
  const screenDir = join(dir, '.screen');
  mkdirSync(screenDir, { mode: 0o700 });
  const env = { EXPKIT_HOME: join(dir, '.expkit'), EXPKIT_TMUX_SOCKET: socket, SCREENDIR: screenDir, EXPKIT_STOP_GRACE: '3', ...extraEnv };
  const cli = (args: string[], more: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { ...env, ...more } });
  const runDir = (name: string) => join(dir, '.expkit', 'runs', name);
  return {
    dir,
    env,
    cli,
    async json(args) {
      const r = await cli([args[0], '--json', ...args.slice(1)]);
      try {
        return JSON.parse(r.stdout);
      } catch {
        throw new Error(`not JSON (exit ${r.exitCode}): ${r.stdout}\n${r.stderr}`);
      }
    },
    runDir,
    manifest: (name) => JSON.parse(readFileSync(join(runDir(name), 'manifest.json'), 'utf8')),
    log: (name) => readFileSync(join(runDir(name), 'output.log'), 'utf8'),
    cleanup() {
      // Stop whatever a failed test left running: each wrapper leads its own process group.
      const runs = join(dir, '.expkit', 'runs');
      // Only a process that carries the run's marker: its PID may belong to another process by now.
      for (const name of existsSync(runs) ? readdirSync(runs) : []) {
        try {
          const pid = Number(readFileSync(join(runs, name, 'pid'), 'utf8'));
          const { runId } = JSON.parse(readFileSync(join(runs, name, 'manifest.json'), 'utf8'));
          if (pid > 1 && runId && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`EXPKIT_RUN_ID=${runId}`)) process.kill(-pid, 'SIGKILL');
        } catch {
          /* no pid file, or already gone */
        }
      }
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
      spawnSync('sh', ['-c', 'for s in $(screen -ls | awk \'/expkit-/{print $1}\'); do screen -S "$s" -X quit; done'], { env: { ...process.env, SCREENDIR: screenDir }, stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const py = (mode: string, ...more: string[]) => ['--', SYSTEM_PYTHON, 'job.py', '--mode', mode, ...more];

/** A project made before the tests of the enclosing describe and removed after them. */
export function useProject(extraEnv: () => Record<string, string> = () => ({})): TestProject {
  let current: TestProject | null = null;
  beforeAll(() => {
    current = makeProject(extraEnv());
  });
  afterAll(() => current?.cleanup());
  return new Proxy({} as TestProject, {
    get: (_target, key) => {
      if (!current) throw new Error('useProject: the project exists only inside tests');
      return current[key as keyof TestProject];
    },
  });
}

/** Processes (not zombies) whose PID or process group is `pgid`. */
export function liveInGroup(pgid: number): string[] {
  return spawnSync('ps', ['-e', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, group, stat]) => (Number(pid) === pgid || Number(group) === pgid) && stat && !stat.startsWith('Z'))
    .map((f) => f.join(' '));
}
