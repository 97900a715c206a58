/**
 * The expkit command line. Each command's implementation is imported only when that command
 * runs, so `expkit analyze` does not pay for the launcher or the scaffold templates.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode } from './core/errors.js';
import { expkitVersion } from './core/package-info.js';
import { runCommand } from './core/run-command.js';

// `instrument` checks its patch with CPython: starting the interpreter now, before the rest of the
// command line loads, takes CPython's start-up off the critical path (it waits for the file).
if (process.argv[2] === 'instrument') {
  void import('./instrument/python-check.js').then(({ findPython, StartedPythonCheck }) => {
    const python = findPython();
    if (python !== null) StartedPythonCheck.startEarly(python);
  });
}

const program = new Command();
program
  .name('expkit')
  .description('Turn a Python training script into a reproducible, tracked experiment.')
  .version(expkitVersion())
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('analyze')
  .description('statically analyze training scripts (never runs them): imports, config, training loops, eval and exit points, framework, existing instrumentation, distributed setup')
  .argument('<paths...>', 'Python files, or project directories to search for training entry points')
  .option('--json', 'print machine-readable JSON (schemaVersion 1)')
  .action((paths: string[], opts: { json?: boolean }) =>
    runCommand(async () => (await import('./commands/analyze.js')).analyzeCommand(paths, opts)),
  );

program
  .command('scaffold')
  .description('write a ready experiment into experiments/code/SLUG/: train.py, config.yaml, run.sh, requirements.txt')
  .argument('<slug>', 'experiment name: letters, digits, "-", "_", "."')
  .option('--framework <name>', 'template: pytorch (default), hf-trainer or lightning')
  .option('--spec <file>', 'experiment spec (default: experiments/SLUG.md, then wiki/experiments/SLUG.md)')
  .option('--dir <dir>', 'project directory (default: the current directory)')
  .option('--dry-run', 'list the files and their sizes without writing')
  .option('--force', 'replace existing files that differ, keeping each old one as FILE.bak')
  .option('--conda-env <name>', 'conda environment run.sh activates (CONDA_ENV overrides it)')
  .option('--venv <path>', 'virtualenv run.sh activates (VENV overrides it)')
  .option('--python <interpreter>', 'interpreter run.sh uses (PYTHON overrides it)')
  .option('--json', 'print machine-readable JSON (schemaVersion 1)')
  .action((slug: string, opts: Record<string, string | boolean | undefined>) =>
    runCommand(async () => (await import('./commands/scaffold.js')).scaffoldCommand(slug, opts)),
  );

program
  .command('instrument')
  .description('add W&B tracking, seeding and/or checkpointing to a training script: prints the diff (stdout) and changes nothing unless --apply')
  .argument('<file>', 'the Python training script')
  .option('--wandb', 'track the run with Weights & Biases')
  .option('--project <name>', 'W&B project (with --wandb)')
  .option('--entity <entity>', 'W&B entity (with --wandb)')
  .option('--wandb-mode <mode>', 'W&B mode: online, offline or disabled (with --wandb)')
  .option('--seed [n]', 'seed Python, NumPy and torch (default 42 unless the script has its own seed argument)')
  .option('--deterministic', 'also make cuDNN and torch deterministic (with --seed; slower)')
  .option('--checkpoint', 'save checkpoints and resume from the latest one')
  .option('--every <n>', 'checkpoint every N epochs (or steps) (with --checkpoint; default 1)')
  .option('--checkpoint-dir <dir>', 'where checkpoints go (with --checkpoint; default checkpoints)')
  .option('--apply', 'write the patch after showing it and asking (keeps a backup; undo with expkit revert)')
  .option('--yes', 'with --apply: do not ask')
  .option('--json', 'print {diff, edits, warnings, skipped} as JSON')
  .option('--status', 'show the expkit patch layers applied to FILE, if any')
  .action((file: string, opts: Record<string, unknown>) =>
    runCommand(async () => (await import('./commands/instrument.js')).instrumentCommand(file, opts)),
  );

program
  .command('revert')
  .description('take the newest expkit patch layer out of a file (--all: every layer): byte for byte, or only the patch when you edited the file since')
  .argument('<file>', 'the patched Python file')
  .option('--all', 'take every layer out, newest first, back to the original')
  .option('--force', 'restore the backup even when your edits overlap the patch (your version is kept as a second backup)')
  .action((file: string, opts: { force?: boolean; all?: boolean }) => runCommand(async () => (await import('./commands/revert.js')).revertCommand(file, opts)));

program
  .command('patches')
  .description('list the expkit patches applied in this project (or to one file), and whether each file still matches')
  .argument('[path]', 'a file, or a directory of the project (default: the current directory)')
  .option('--json', 'print {projectRoot, patches} as JSON')
  .action((path: string | undefined, opts: { json?: boolean }) =>
    runCommand(async () => (await import('./commands/patches.js')).patchesCommand(path, opts)),
  );

program
  .command('launch')
  .description('start a run that survives a closed terminal and records everything needed to reproduce it')
  .argument('[command...]', 'the command (after --), or an experiment SLUG for experiments/code/SLUG/run.sh')
  .option('--backend <name>', 'auto|process|tmux|screen|slurm (auto: tmux, else screen, else process)', 'auto')
  .option('--name <name>', 'run name (default: derived from the command and the UTC time, made unique)')
  .option('--gpus <which>', 'auto (free GPUs from nvidia-smi) | none | a list like 0,1', 'auto')
  .option('--seeds <list>', 'one run per seed, e.g. 1,2,3 (passed as --seed N and $SEED)')
  .option('--after <run>', 'start only after RUN succeeded')
  .option('--smoke', 'first run the command with --smoke in the foreground; launch only if it passes')
  .option('--stop-on <what>', 'nan: the run stops itself at the first non-finite loss in its log (reason in status and manifest.json)')
  .option('--partition <name>', 'slurm: partition')
  .option('--gres <gres>', 'slurm: generic resources, e.g. gpu:2')
  .option('--cpus-per-task <n>', 'slurm: CPUs per task')
  .option('--mem <size>', 'slurm: memory, e.g. 16G')
  .option('--time <limit>', 'slurm: time limit, e.g. 4:00:00')
  .option('--json', 'print machine-readable JSON')
  .action((command: string[], opts) => runCommand(async () => (await import('./commands/launch.js')).launchCommand(command, opts)));

program
  .command('status')
  .description('state of one run (detail) or of all runs (table): queued|running|succeeded|failed|stopped|lost|not_started, with log anomalies')
  .argument('[run]', 'run name')
  .option('--json', 'print machine-readable JSON')
  .action((run: string | undefined, opts) => runCommand(async () => (await import('./commands/status.js')).statusCommand(run, opts)));

program
  .command('list')
  .description('list all runs with their state')
  .option('--json', 'print machine-readable JSON')
  .action((opts) => runCommand(async () => (await import('./commands/status.js')).listCommand(opts)));

program
  .command('logs')
  .description("print a run's output log")
  .argument('<run>', 'run name')
  .option('-f, --follow', 'keep printing new output until the run ends')
  .option('-n, --lines <n>', 'only the last N lines')
  .action((run: string, opts) => runCommand(async () => (await import('./commands/logs.js')).logsCommand(run, opts)));

program
  .command('attach')
  .description("attach the terminal to a run's tmux window or screen session")
  .argument('<run>', 'run name')
  .action((run: string) => runCommand(async () => (await import('./commands/attach.js')).attachCommand(run)));

program
  .command('stop')
  .description('stop a run: SIGTERM to its process group, SIGKILL after a grace period; scancel on SLURM')
  .argument('<run>', 'run name')
  .option('--grace <seconds>', 'seconds between SIGTERM and SIGKILL (default 10, or EXPKIT_STOP_GRACE)')
  .option('--json', 'print machine-readable JSON')
  .action((run: string, opts) => runCommand(async () => (await import('./commands/stop.js')).stopCommand(run, opts)));

program
  .command('wait')
  .description('block until a run ends; exit 0 only if it succeeded (1 otherwise, 124 on --timeout)')
  .argument('<run>', 'run name')
  .option('--timeout <seconds>', 'give up after this many seconds')
  .option('--json', 'print machine-readable JSON')
  .action((run: string, opts) => runCommand(async () => (await import('./commands/wait.js')).waitCommand(run, opts)));

program
  .command('doctor')
  .description('what a launch will meet: Python, torch/CUDA, wandb, backends, GPUs, disk space; each problem with its fix')
  .option('--python <path>', 'the interpreter to check (default: python3 on PATH)')
  .option('--json', 'print machine-readable JSON')
  .action((opts) => runCommand(async () => (await import('./commands/doctor.js')).doctorCommand(opts)));

program
  .command('collect')
  .description("summarise a seed sweep's results: mean ± std per metric, delta to the baseline, outcome")
  .argument('<target>', 'experiment SLUG or a run name')
  .option('--json', 'print machine-readable JSON')
  .action((target: string, opts) => runCommand(async () => (await import('./commands/collect.js')).collectCommand(target, opts)));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other parse problem is a usage error.
    const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
    process.exitCode = ok ? ExitCode.Ok : ExitCode.Usage;
  } else {
    throw err;
  }
}
