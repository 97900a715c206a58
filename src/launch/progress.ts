/**
 * Training progress as numbers, read from the log's progress lines: plain prints
 * (`epoch 3/10 loss 0.52 acc 0.81`), tqdm bars with their postfix, HF Trainer dicts
 * (`{'loss': 0.5, 'epoch': 1.0}`), Lightning and Keras progress lines. Pure.
 */

export interface ProgressNumbers {
  epoch: number | null;
  /** Known when the log says `epoch 3/10` (or Keras `Epoch 3/10`). */
  epochTotal: number | null;
  step: number | null;
  /** Known from `step 30/100`, a tqdm bar's `30/100` or Keras' `30/100 ━━━`. */
  stepTotal: number | null;
  /** The loss: `loss`, else `train_loss`, else the first name containing "loss". */
  loss: number | null;
  /** Every `name: value` on the line that carries the loss and metrics (the loss included). */
  metrics: Record<string, number>;
}

interface LineNumbers {
  epoch: { value: number; total: number | null } | null;
  step: { value: number; total: number | null; tqdm: boolean } | null;
  /** A tqdm bar's own estimate of the time left, in seconds. */
  tqdmRemaining: number | null;
  metrics: Record<string, number>;
}

const NUMBER = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const EPOCH_RE = new RegExp(String.raw`\bepoch['"]?\s*[:=]?\s*\[?['"]?(${NUMBER})(?:\s*(?:\/|of)\s*(\d+))?`, 'i');
const STEP_RE = /\b(?:global_step|step|iter(?:ation)?|batch)['"]?\s*[:=]?\s*\[?(\d+)(?:\s*(?:\/|of)\s*(\d+))?/i;
/** tqdm: ` 30%|███       | 30/100 [00:10<00:23,  3.0it/s, loss=0.5]`. */
const TQDM_RE = /\d+%\|[^|]*\|\s*(\d+)\/(\d+)\s*\[([^\]]*)\]/;
/** Keras: `30/100 ━━━━━━ 2s 5ms/step - loss: 0.5` (Keras 3) or `30/100 [====>...] - ETA: 2s - loss: 0.5`. */
const KERAS_RE = /^\s*(\d+)\/(\d+)\s+(?:━|\[[=>.]*\])/;
/**
 * `name: value`, `name=value`, `'name': value`, `'name': '0.5'` (transformers 5 logs its dict's values
 * as strings) or `name value`; not a value followed by `/` or `%` (a count or a percentage).
 */
const METRIC_RE = new RegExp(String.raw`(?:^|[\s,{(|\[-])['"]?([A-Za-z_][A-Za-z0-9_./]*)['"]?(?:\s*([:=])|\s)\s*(?:tensor\()?['"]?(${NUMBER}|nan|inf)['"]?(?![\w/%.])`, 'gi');
/** Lightning's rich bar: `Epoch 1/4  ━━━━━━ 13/13 0:00:00 • …`, epochs counted from 0 (1/4 is the second of five). */
const LIGHTNING_RICH_RE = /^\s*Epoch (\d+)\/(\d+)\s+[━╸╺ ]*\s*(\d+)\/(\d+)/;
/** A bar described as something else than training: `Writing model shards: 100%|…`, `Map: …`, `Evaluating: …`. */
const TRAINING_BAR = /epoch|train|step|iter|batch/i;
/** Terminal control sequences (colours, cursor moves) that Keras, tqdm and rich write into logs. */
const ANSI_RE = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** tqdm's inner bars (an evaluation inside training) move the cursor up to draw: not the run's bar. */
const NESTED_BAR = '\x1b[A';
/** Without `:` or `=` (`loss 0.52`), only names that are clearly metrics count: not `took 5.2`. */
const BARE_METRIC_NAME = /loss|acc|f1|ppl|perplexity|^lr$|learning_rate|bleu|rouge|auc|mae|mse|err|score|reward|return|grad_norm|top[15]/i;
/** Counters, units and bookkeeping that are not metrics. */
const NOT_METRICS = new Set(['epoch', 'step', 'global_step', 'iter', 'iteration', 'batch', 'v_num', 'eta', 'it', 's', 'ms', 'us', 'seed']);

/** `MM:SS` or `H:MM:SS` in seconds; null for tqdm's `?`. */
function clockSeconds(text: string): number | null {
  const parts = text.trim().split(':');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => /^\d+$/.test(p))) return null;
  return parts.reduce((acc, p) => acc * 60 + Number(p), 0);
}

function metricsOf(text: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const m of text.matchAll(METRIC_RE)) {
    if (NOT_METRICS.has(m[1].toLowerCase()) || m[1] in metrics || (m[2] === undefined && !BARE_METRIC_NAME.test(m[1]))) continue;
    const value = /^nan$/i.test(m[3]) ? NaN : /^inf$/i.test(m[3]) ? Infinity : Number(m[3]);
    metrics[m[1]] = value;
  }
  return metrics;
}

/** The numbers one log line shows, or null when it shows no counter and no loss. */
export function parseProgressLine(raw: string): LineNumbers | null {
  const line = raw.replace(ANSI_RE, '');
  const rich = LIGHTNING_RICH_RE.exec(line);
  if (rich) {
    return {
      epoch: { value: Number(rich[1]) + 1, total: Number(rich[2]) + 1 },
      step: { value: Number(rich[3]), total: Number(rich[4]), tqdm: false },
      tqdmRemaining: null,
      metrics: metricsOf(line.slice(rich[0].length)),
    };
  }
  const bar = TQDM_RE.exec(line);
  // Not the run's bar: a nested one, or one described as other work.
  const otherBar = bar !== null && (raw.includes(NESTED_BAR) || (line.slice(0, bar.index).trim() !== '' && !TRAINING_BAR.test(line.slice(0, bar.index))));
  if (otherBar) return null;
  const tqdm = bar;
  const keras = tqdm ? null : KERAS_RE.exec(line);
  const stepMatch = tqdm || keras ? null : STEP_RE.exec(line);
  const epochMatch = EPOCH_RE.exec(line);
  const step = tqdm
    ? { value: Number(tqdm[1]), total: Number(tqdm[2]), tqdm: true }
    : keras
      ? { value: Number(keras[1]), total: Number(keras[2]), tqdm: false }
      : stepMatch
        ? { value: Number(stepMatch[1]), total: stepMatch[2] ? Number(stepMatch[2]) : null, tqdm: false }
        : null;
  const epoch = epochMatch ? { value: Number(epochMatch[1]), total: epochMatch[2] ? Number(epochMatch[2]) : null } : null;
  // A tqdm bar's postfix (`loss=0.5`) is inside its brackets; elsewhere the whole line holds the metrics.
  const metrics = metricsOf(tqdm ? tqdm[3].split(',').slice(2).join(',') + ' ' + line.slice(0, tqdm.index) : line);
  const remaining = tqdm ? /<([^,\]]+)/.exec(tqdm[3]) : null;
  if (!epoch && !step && lossOf(metrics) === null) return null;
  return { epoch, step, tqdmRemaining: remaining ? clockSeconds(remaining[1]) : null, metrics };
}

function lossOf(metrics: Record<string, number>): number | null {
  const names = Object.keys(metrics);
  const name = names.find((n) => n.toLowerCase() === 'loss') ?? names.find((n) => n.toLowerCase() === 'train_loss') ?? names.find((n) => /loss/i.test(n));
  return name === undefined ? null : metrics[name];
}

/** How far back from the latest progress line to look for the counters it lacks. */
const LOOK_BACK_LINES = 200;

export interface LatestProgress {
  numbers: ProgressNumbers;
  /** Seconds left, when the log's own bar says so (tqdm over the whole run). */
  remaining: number | null;
  /** The fraction of the run done, when the totals say so. */
  fraction: number | null;
}

/**
 * The latest progress in LOG. Each part comes from the latest line that has it, so a Keras step
 * line gets its epoch from the `Epoch 3/10` line above it and an HF Trainer bar gets the loss from
 * the last logged dict.
 */
export function latestProgress(log: string): LatestProgress | null {
  const lines = log.split(/\r?\n|\r/);
  let epochLine: LineNumbers | null = null;
  let stepLine: LineNumbers | null = null;
  let metricsLine: LineNumbers | null = null;
  let latest: LineNumbers | null = null;
  let seen = 0;
  for (let i = lines.length - 1; i >= 0 && (latest === null || seen < LOOK_BACK_LINES); i--) {
    if (latest !== null) seen++;
    if (lines[i].startsWith('Traceback')) continue;
    const n = parseProgressLine(lines[i]);
    if (!n) continue;
    latest ??= n;
    if (n.epoch && !epochLine) epochLine = n;
    if (n.step && !stepLine) stepLine = n;
    if (Object.keys(n.metrics).length > 0 && !metricsLine) metricsLine = n;
    if (epochLine && stepLine && metricsLine) break;
  }
  if (!latest) return null;
  const epoch = epochLine?.epoch ?? null;
  const step = stepLine?.step ?? null;
  const metrics = metricsLine?.metrics ?? {};
  const numbers: ProgressNumbers = { epoch: epoch?.value ?? null, epochTotal: epoch?.total ?? null, step: step?.value ?? null, stepTotal: step?.total ?? null, loss: lossOf(metrics), metrics };
  // A bar on a line that also names an epoch (Lightning) times that epoch only, not the run.
  const wholeRunBar = stepLine?.step?.tqdm && !stepLine.epoch ? stepLine.tqdmRemaining : null;
  return { numbers, remaining: wholeRunBar, fraction: fractionDone(numbers, stepLine !== null && stepLine !== epochLine) };
}

/** The fraction of the run done; STEP_IN_EPOCH when the step counts within the epoch (Keras). */
function fractionDone(n: ProgressNumbers, stepInEpoch: boolean): number | null {
  if (n.epoch !== null && n.epochTotal) {
    // Keras prints `Epoch 3/10` as epoch 3 starts; its step line says how far into it.
    if (stepInEpoch && n.step !== null && n.stepTotal) return Math.min(1, (n.epoch - 1 + n.step / n.stepTotal) / n.epochTotal);
    return Math.min(1, n.epoch / n.epochTotal);
  }
  if (n.epoch === null && n.step !== null && n.stepTotal) return Math.min(1, n.step / n.stepTotal);
  return null;
}

/**
 * Seconds left: the bar's own estimate when it times the whole run, else from the fraction done
 * in ELAPSED seconds, assuming the rate so far holds (the run's start and now are the two points).
 */
export function etaSeconds(p: LatestProgress, elapsedSec: number | null): number | null {
  if (p.remaining !== null) return p.remaining;
  if (p.fraction === null || p.fraction <= 0 || elapsedSec === null) return null;
  return Math.round((elapsedSec * (1 - p.fraction)) / p.fraction);
}
