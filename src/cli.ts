/**
 * The expkit command line. Each command's implementation is imported only when that command
 * runs, so `expkit analyze` does not pay for the launcher or the scaffold templates.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, ExpkitError } from './core/errors.js';
import { parseSeconds, parseWholeNumber, type Range } from './core/numbers.js';
import { expkitVersion } from './core/package-info.js';
import { reportError, runCommand } from './core/run-command.js';

// `instrument` checks its patch with CPython: starting the interpreter now, before the rest of the
// command line loads, takes CPython's start-up off the critical path (it waits for the file).
if (process.argv[2] === 'instrument') {
  void import('./instrument/python-check.js').then(({ findPython, StartedPythonCheck }) => {
    const python = findPython();
    if (python !== null) StartedPythonCheck.startEarly(python);
  });
}

// Words after `--` belong to the command `launch` starts: a `--json` there is not expkit's.
const words = process.argv.slice(2);
const expkitWords = words.includes('--') ? words.slice(0, words.indexOf('--')) : words;
const jsonRequested = expkitWords.includes('--json');
const asked = (opts: { json?: boolean }) => ({ json: Boolean(opts.json) });

// Numbers are parsed here, as the command line is read, by the one shared parser: a bad value is a
// usage error before the command loads or touches anything.
const wholeNumber = (flag: string, range: Range) => (text: string) => parseWholeNumber(flag, text, range);
const seconds = (flag: string, range: Range) => (text: string) => parseSeconds(flag, text, range);
const DAY = 86_400;
/** Repeatable options (`--grid a=1,2 --grid b=3`) collect their values in order. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command();
program
  .name('expkit')
  .description('Turn a Python training script into a reproducible, tracked experiment.')
  .version(expkitVersion())
  // Commander's own errors are printed below, the same way as every other error (and as JSON).
  .configureOutput({ outputError: () => {} })
  .exitOverride();

program
  .command('analyze')
  .description('statically analyze training scripts (never runs them): imports, config, training loops, eval and exit points, framework, existing instrumentation, distributed setup')
  .argument('<paths...>', 'Python files, or project directories to search for training entry points')
  .option('--json', 'print machine-readable JSON (schemaVersion 1)')
  .action((paths: string[], opts: { json?: boolean }) =>
    runCommand(async () => (await import('./commands/analyze.js')).analyzeCommand(paths, opts), asked(opts)),
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
  .option('--plan-id <id>', 'write only if the plan is still the one a dry run showed with this planId (exit 3 otherwise)')
  .option('--conda-env <name>', 'conda environment run.sh activates (CONDA_ENV overrides it)')
  .option('--venv <path>', 'virtualenv run.sh activates (VENV overrides it)')
  .option('--python <interpreter>', 'interpreter run.sh uses (PYTHON overrides it)')
  .option('--yes', 'do not ask (scaffold never asks: accepted so every command takes the same flags)')
  .option('--json', 'print machine-readable JSON (schemaVersion 1)')
  .action((slug: string, opts: Record<string, string | boolean | undefined>) =>
    runCommand(async () => (await import('./commands/scaffold.js')).scaffoldCommand(slug, opts), asked(opts)),
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
  .option('--patch-id <id>', "with --apply: apply without asking, only if the patch is still the preview's (its patchId)")
  .option('--yes', 'with --apply: do not ask (required without a terminal, and with --json, unless --patch-id)')
  .option('--json', 'print {diff, patchId, edits, warnings, skipped} as JSON')
  .option('--status', 'show the expkit patch layers applied to FILE, if any')
  .action((file: string, opts: Record<string, unknown>) =>
    runCommand(async () => (await import('./commands/instrument.js')).instrumentCommand(file, opts), asked(opts)),
  );

program
  .command('revert')
  .description('take the newest expkit patch layer out of a file (--all: every layer): byte for byte, or only the patch when you edited the file since')
  .argument('<file>', 'the patched Python file')
  .option('--all', 'take every layer out, newest first, back to the original')
  .option('--force', 'restore the backup even when your edits overlap the patch (your version is kept as a second backup)')
  .option('--yes', 'do not ask (revert never asks: accepted so every command takes the same flags)')
  .option('--json', 'print {schemaVersion, file, reverted, editedCopy, remaining} as JSON')
  .action((file: string, opts: { force?: boolean; all?: boolean; json?: boolean }) => runCommand(async () => (await import('./commands/revert.js')).revertCommand(file, opts), asked(opts)));

program
  .command('patches')
  .description('list the expkit patches applied in this project (or to one file), and whether each file still matches')
  .argument('[path]', 'a file, or a directory of the project (default: the current directory)')
  .option('--json', 'print {projectRoot, patches} as JSON')
  .action((path: string | undefined, opts: { json?: boolean }) =>
    runCommand(async () => (await import('./commands/patches.js')).patchesCommand(path, opts), asked(opts)),
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
  .option('--grid <key=values>', 'sweep: one run per combination, e.g. --grid lr=1e-3,3e-4 --grid batch_size=32,64 (repeatable)', collect)
  .option('--range <key=dist>', 'sweep with --sample: uniform:LOW:HIGH | loguniform:LOW:HIGH | choice:A,B,C (repeatable)', collect)
  .option('--sample <n>', 'sweep: draw N configurations from the --range distributions', wholeNumber('--sample', { min: 1, max: 1_000_000 }))
  .option('--sample-seed <n>', 'the seed --sample draws from (default: random, recorded)', wholeNumber('--sample-seed', { min: 0, max: 4_294_967_295 }))
  .option('--sweep <name>', 'name the sweep (default: derived like run names); recorded in .expkit/sweeps/NAME/')
  .option('--resume', 'with --sweep NAME: start again the runs of that sweep that did not succeed')
  .option('--partition <name>', 'slurm: partition')
  .option('--gres <gres>', 'slurm: generic resources, e.g. gpu:2')
  .option('--cpus-per-task <n>', 'slurm: CPUs per task (1 to 100000)', wholeNumber('--cpus-per-task', { min: 1, max: 100_000 }))
  .option('--mem <size>', 'slurm: memory, e.g. 16G')
  .option('--time <limit>', 'slurm: time limit, e.g. 4:00:00')
  .option('--dry-run', 'print what would start and its specHash; start nothing')
  .option('--spec-hash <hash>', 'start only if the launch is still the one a dry run showed with this specHash (exit 3 otherwise)')
  .option('--yes', 'do not ask (launch never asks: accepted so every command takes the same flags)')
  .option('--json', 'print machine-readable JSON')
  .action((command: string[], opts) => runCommand(async () => (await import('./commands/launch.js')).launchCommand(command, opts), asked(opts)));

program
  .command('status')
  .description('state of one run (detail) or of all runs (table): queued|running|succeeded|failed|stopped|lost|not_started, with log anomalies')
  .argument('[run]', 'run name')
  .option('--json', 'print machine-readable JSON')
  .action((run: string | undefined, opts) => runCommand(async () => (await import('./commands/status.js')).statusCommand(run, opts), asked(opts)));

program
  .command('list')
  .description('list all runs with their state')
  .option('--json', 'print machine-readable JSON')
  .action((opts) => runCommand(async () => (await import('./commands/status.js')).listCommand(opts), asked(opts)));

program
  .command('logs')
  .description("print a run's output log")
  .argument('<run>', 'run name')
  .option('-f, --follow', 'keep printing new output until the run ends')
  .option('-n, --lines <n>', 'only the last N lines', wholeNumber('-n', { min: 0, max: 1_000_000_000 }))
  .option('--since <offset>', 'only what the log gained after this byte offset (0 for all); the next offset goes to stderr', wholeNumber('--since', { min: 0, max: Number.MAX_SAFE_INTEGER }))
  .option('--json', 'print {schemaVersion, name, state, logPath, totalLines, lines} as JSON (not with --follow); with --since {schemaVersion, text, nextOffset, ended, state}')
  .action((run: string, opts) => runCommand(async () => (await import('./commands/logs.js')).logsCommand(run, opts), asked(opts)));

program
  .command('attach')
  .description("attach the terminal to a run's tmux window or screen session")
  .argument('<run>', 'run name')
  .option('--json', 'do not attach: print {schemaVersion, name, backend, state, argv, command}, the command that attaches')
  .action((run: string, opts) => runCommand(async () => (await import('./commands/attach.js')).attachCommand(run, opts), asked(opts)));

program
  .command('stop')
  .description('stop a run: SIGTERM to its process group, SIGKILL after a grace period; scancel on SLURM')
  .argument('<run>', 'run name')
  .option('--grace <seconds>', 'seconds between SIGTERM and SIGKILL, up to a day (default 10, or EXPKIT_STOP_GRACE)', seconds('--grace', { min: 0, max: DAY }))
  .option('--yes', 'do not ask (stop never asks: accepted so every command takes the same flags)')
  .option('--json', 'print machine-readable JSON')
  .action((run: string, opts) => runCommand(async () => (await import('./commands/stop.js')).stopCommand(run, opts), asked(opts)));

program
  .command('wait')
  .description('block until runs end; exit 0 only if those that ended succeeded (1 otherwise, 124 on --timeout)')
  .argument('<runs...>', 'run names')
  .option('--any', 'return as soon as one of the runs ends')
  .option('--all', 'return once every run has ended (the default)')
  .option('--timeout <seconds>', 'give up after this many seconds (up to a year)', seconds('--timeout', { min: 0, max: 365 * DAY }))
  .option('--json', 'print machine-readable JSON')
  .action((run: string[], opts) => runCommand(async () => (await import('./commands/wait.js')).waitCommand(run, opts), asked(opts)));

program
  .command('doctor')
  .description('what a launch will meet: Python, torch/CUDA, wandb, backends, GPUs, disk space; each problem with its fix')
  .option('--python <path>', 'the interpreter to check (default: python3 on PATH)')
  .option('--json', 'print machine-readable JSON')
  .action((opts) => runCommand(async () => (await import('./commands/doctor.js')).doctorCommand(opts), asked(opts)));

program
  .command('collect')
  .description("summarise a seed sweep's results: mean ± std per metric, delta to the baseline, outcome")
  .argument('<target>', 'experiment SLUG or a run name')
  .option('--yes', 'do not ask (collect never asks: accepted so every command takes the same flags)')
  .option('--json', 'print machine-readable JSON')
  .action((target: string, opts) => runCommand(async () => (await import('./commands/collect.js')).collectCommand(target, opts), asked(opts)));

program
  .command('compare')
  .description('compare runs (or a sweep): differing parameters, final/best metrics, mean ± std per configuration, best, a baseline with Welch\'s t-test')
  .argument('[runs...]', 'run names')
  .option('--sweep <name>', 'compare the runs of a sweep (.expkit/sweeps/NAME/)')
  .option('--metric <name>', 'a metric to show (repeatable; the first is the primary); also searched in logs as NAME: value', (v: string, prev: string[] = []) => [...prev, v])
  .option('--baseline <run|value>', 'a run name or a number to test each configuration against')
  .option('--json', 'print machine-readable JSON')
  .action((runs: string[], opts) => runCommand(async () => (await import('./commands/compare.js')).compareCommand(runs, opts), asked(opts)));

program
  .command('agent-skill')
  .description('print the SKILL.md that teaches coding agents to use expkit (--install DIR writes DIR/expkit/SKILL.md)')
  .option('--install <dir>', 'write DIR/expkit/SKILL.md (atomically; a different existing one needs --force)')
  .option('--force', 'with --install: replace a different SKILL.md, keeping the old one as SKILL.md.bak')
  .option('--json', 'print {schemaVersion, name, skill}, or with --install {schemaVersion, path, action, backup}')
  .action((opts) => runCommand(async () => (await import('./commands/agent-skill.js')).agentSkillCommand(opts), asked(opts)));

program
  .command('mcp')
  .description('serve this project to an AI agent: a Model Context Protocol server over stdio (stdout carries only MCP messages)')
  .option('--dir <dir>', 'project directory (default: the current directory); the server never works outside it')
  .option('--json', 'a failure to start as JSON (like every command); once started, stdout is the MCP protocol')
  .action((opts: { dir?: string; json?: boolean }) => runCommand(async () => (await import('./commands/mcp.js')).mcpCommand(opts), asked(opts)));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Help and version exit 0; every other parse problem (commander's, or a bad number) is a usage error.
  const ok = err instanceof CommanderError && ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
  process.exitCode = ok ? ExitCode.Ok : reportError(err instanceof CommanderError ? usageError(err) : err, { json: jsonRequested });
}

/**
 * Commander's "error: unknown option '--jsn'\n(Did you mean --json?)" as expkit's one line; the
 * suggestion and where to read the usage go in the hint.
 */
function usageError(err: CommanderError): ExpkitError {
  const [first, ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = rest.map((line) => line.replace(/^\((.*)\)$/, '$1').trim()).filter(Boolean).join(' ');
  const command = program.commands.find((c) => c.name() === expkitWords[0]);
  const help = command ? `expkit ${command.name()} --help` : 'expkit --help';
  const hint = suggestion ? `${suggestion} Run \`${help}\` for usage` : `run \`${help}\` for usage`;
  return new ExpkitError(first, { exitCode: ExitCode.Usage, hint });
}
