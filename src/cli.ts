/**
 * The expkit command line. Each command's implementation is imported only when that command
 * runs, so `expkit analyze` does not pay for the launcher or the scaffold templates.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode } from './core/errors.js';
import { runCommand } from './core/run-command.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
program
  .name('expkit')
  .description('Turn a Python training script into a reproducible, tracked experiment.')
  .version(pkg.version)
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
