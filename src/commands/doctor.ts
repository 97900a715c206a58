import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { exec } from '../io/exec.js';
import { ExitCode } from '../core/errors.js';
import { doctorChecks, type PythonFacts } from '../doctor/checks.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from '../launch/gpus.js';
import { projectRoot, runsDir } from '../launch/paths.js';
import { commandOnPath } from '../launch/which.js';
import { table } from '../printers/status.js';

const PROBE = `import json, sys
out = {"version": sys.version.split()[0], "torch": None, "cuda": False, "cudaDevices": 0, "wandb": None}
try:
    import torch
    out["torch"] = torch.__version__
    out["cuda"] = bool(torch.cuda.is_available())
    out["cudaDevices"] = torch.cuda.device_count() if out["cuda"] else 0
except Exception:
    pass
try:
    import wandb
    out["wandb"] = getattr(wandb, "__version__", "?")
except Exception:
    pass
print(json.dumps(out))
`;

async function pythonFacts(python: string): Promise<PythonFacts> {
  const path = commandOnPath(python);
  const none: PythonFacts = { requested: python, path, version: null, torch: null, cuda: false, cudaDevices: 0, wandb: null };
  if (!path) return none;
  const r = await exec(path, ['-c', PROBE], { timeout: 60000 });
  try {
    return { requested: python, path, ...JSON.parse(r.stdout.trim().split('\n').pop()!) };
  } catch {
    return none;
  }
}

function wandbAuth(): 'env' | 'netrc' | null {
  if (process.env.WANDB_API_KEY) return 'env';
  try {
    if (readFileSync(process.env.NETRC ?? join(homedir(), '.netrc'), 'utf8').includes('api.wandb.ai')) return 'netrc';
  } catch {
    /* no netrc */
  }
  return null;
}

function diskFree(path: string): number | null {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    const s = statfsSync(p);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

export async function doctorCommand(opts: { python?: string; json?: boolean }): Promise<number> {
  const root = projectRoot();
  const runs = runsDir(root);
  const sbatch = Boolean(commandOnPath('sbatch'));
  const [python, ping, smi] = await Promise.all([
    pythonFacts(opts.python ?? 'python3'),
    sbatch ? exec('scontrol', ['ping'], { timeout: 15000 }) : Promise.resolve(null),
    commandOnPath('nvidia-smi') ? exec('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 15000 }) : Promise.resolve(null),
  ]);
  const checks = doctorChecks({
    python,
    wandbAuth: wandbAuth(),
    wandbMode: process.env.WANDB_MODE ?? null,
    tmux: Boolean(commandOnPath('tmux')),
    screen: Boolean(commandOnPath('screen')),
    sbatch,
    slurmController: ping ? /UP/.test(ping.stdout) : null,
    gpus: smi && smi.exitCode === 0 ? parseNvidiaSmi(String(smi.stdout)) : null,
    diskFreeBytes: diskFree(runs),
    runsDir: runs,
  });
  const failed = checks.some((c) => c.level === 'error');
  if (opts.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, ok: !failed, python, checks }, null, 2) + '\n');
  } else {
    process.stdout.write(table([['CHECK', 'STATUS', 'DETAIL'], ...checks.map((c) => [c.name, c.level, c.detail])]));
    for (const c of checks) if (c.fix) process.stdout.write(`fix ${c.name}: ${c.fix}\n`);
  }
  return failed ? ExitCode.Failure : ExitCode.Ok;
}
