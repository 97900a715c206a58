// Prints one plain closing line, "jest: N passed, N failed, N skipped", after the run, and under it the
// hardening suite's figures ("attacks: N tried, N kept", one line per attack) that tests recorded with
// recordAttacks() from attack-figures.ts.
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const FIGURES_ENV = 'EXPKIT_ATTACK_FIGURES';

class SummaryReporter {
  constructor(globalConfig) {
    // Set before jest starts its workers, which inherit the environment. One file per jest process,
    // inside the checkout, so two runs (or two worktrees) never mix their figures.
    this.figuresFile = join(globalConfig.rootDir, '.jest-figures', `attacks-${process.pid}.jsonl`);
    rmSync(this.figuresFile, { force: true });
    process.env[FIGURES_ENV] = this.figuresFile;
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
    const figures = readFigures(this.figuresFile);
    rmSync(this.figuresFile, { force: true });
    if (figures.length > 0) process.stdout.write(formatFigures(figures));
  }
}

function readFigures(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** Sums by name, in first-recorded order; a total line first. */
function formatFigures(figures) {
  const byName = new Map();
  for (const { name, tried, kept } of figures) {
    const sum = byName.get(name) ?? { tried: 0, kept: 0 };
    byName.set(name, { tried: sum.tried + tried, kept: sum.kept + kept });
  }
  let tried = 0;
  let kept = 0;
  for (const sum of byName.values()) {
    tried += sum.tried;
    kept += sum.kept;
  }
  const lines = [`attacks: ${tried} tried, ${kept} kept${kept < tried ? `, ${tried - kept} broke a promise` : ''}`];
  for (const [name, sum] of byName) lines.push(`  ${name}: ${sum.tried} tried, ${sum.kept} kept`);
  return `${lines.join('\n')}\n`;
}

module.exports = SummaryReporter;
module.exports.formatFigures = formatFigures;
