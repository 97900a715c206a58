import { basename, dirname, extname } from 'node:path';

/** Programs that run the real script: the name comes from the script after them. */
const RUNNERS = /^(python[0-9.]*|pypy[0-9.]*|torchrun|accelerate|deepspeed|uv|poetry|pipenv|conda|bash|sh|zsh|srun|mpirun|env|nohup|time)$/;
const RUNNER_WORDS = new Set(['run', 'launch', '-m', '-u']);
/** Options whose values describe the run well enough to appear in its name. */
const NAMING_OPTIONS = new Set(['model', 'arch', 'architecture', 'dataset', 'data', 'task', 'config', 'exp', 'experiment', 'name']);

function slugPart(text: string): string {
  return text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40);
}

/** `MMDD-HHMM` in UTC: sorts by time within a year. */
export function timeStamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}-${p(date.getUTCHours())}${p(date.getUTCMinutes())}`;
}

/** The task part of a run name: `python train.py --model gpt2` → `train-gpt2`. */
export function taskName(argv: readonly string[]): string {
  // The script: the first .py/.sh argument, else a `-m module`, else the first word after the runners.
  let i = argv.findIndex((a) => /\.(py|sh)$/.test(a));
  let stem: string;
  const m = argv.indexOf('-m');
  if (i === -1 && m !== -1 && m + 1 < argv.length) {
    i = m + 1;
    stem = argv[i].split('.').pop()!;
  } else {
    if (i === -1) {
      i = 0;
      while (i < argv.length - 1 && (RUNNERS.test(basename(argv[i])) || RUNNER_WORDS.has(argv[i]) || /^-/.test(argv[i]) || /^[A-Z_]+=/.test(argv[i]))) i++;
    }
    const script = argv[i] ?? 'run';
    // experiments/code/SLUG/run.sh is named after its experiment.
    stem = basename(script) === 'run.sh' && script.includes('/') ? basename(dirname(script)) : basename(script, extname(script));
  }
  const parts = [slugPart(stem)];
  for (let j = i + 1; j < argv.length && parts.length < 3; j++) {
    const opt = /^--?([A-Za-z_-]+)(?:=(.*))?$/.exec(argv[j]);
    if (!opt || !NAMING_OPTIONS.has(opt[1].replace(/-/g, '_').replace(/_name$/, ''))) continue;
    const value = opt[2] ?? argv[j + 1];
    if (value === undefined || value.startsWith('-')) continue;
    const part = slugPart(basename(value, extname(value)));
    if (part) parts.push(part);
  }
  return parts.filter(Boolean).join('-') || 'run';
}

/** A run name derived from the command and the launch time: `<task>-<MMDD>-<HHMM>`. */
export function deriveRunName(argv: readonly string[], date: Date): string {
  return `${taskName(argv)}-${timeStamp(date)}`;
}

/** The candidates tried in turn when a derived name is taken: NAME, NAME-2, NAME-3… */
export function uniqueCandidate(base: string, attempt: number): string {
  return attempt === 0 ? base : `${base}-${attempt + 1}`;
}
